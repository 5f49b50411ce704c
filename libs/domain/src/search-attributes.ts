/**
 * The product's custom search attributes. Plain data so workflow code (sandbox) and client code share
 * one definition; structurally these are Temporal `SearchAttributeKey`s. Never encrypted: ids and
 * states only, never card data.
 */
export const SEARCH_ATTRIBUTES = {
  lifecycle: { name: 'Lifecycle', type: 'KEYWORD' },
  lifecycleState: { name: 'LifecycleState', type: 'KEYWORD' },
  cardId: { name: 'CardId', type: 'KEYWORD' },
  wallet: { name: 'Wallet', type: 'KEYWORD' },
  issuerId: { name: 'IssuerId', type: 'KEYWORD' },
  customerReference: { name: 'CustomerReference', type: 'KEYWORD' },
} as const;

/** `--search-attribute` arguments for `temporal server start-dev`. */
export function devServerSearchAttributeArgs(): string[] {
  return Object.values(SEARCH_ATTRIBUTES).flatMap(({ name }) => ['--search-attribute', `${name}=Keyword`]);
}

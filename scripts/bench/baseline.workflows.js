// The benchmark's bare-Temporal workflows, bundled by scripts/bench/baseline-worker.js.
// `sameShape` has push provisioning's synchronous shape: started by update-with-start, the same four
// activities (here no-ops) in the same order, and the same search-attribute upserts and current
// details after every transition; it finishes once the payload is answered. `floor` answers an
// empty update and finishes.
const wf = require('@temporalio/workflow');

const { lastProjectedVersion, projectTransition, checkCardForProvisioning, issueWalletPayload } =
  wf.proxyActivities({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
  });
const lifecycleState = { name: 'LifecycleState', type: 'KEYWORD' };
const requestPayload = wf.defineUpdate('requestPayload');
const floorUpdate = wf.defineUpdate('floor');

async function sameShape({ proxy, wallet }) {
  const { workflowId } = wf.workflowInfo();
  let state = 'idle';
  let seq = 0;
  let answered = false;
  const publish = () => {
    wf.upsertSearchAttributes([{ key: lifecycleState, value: state }]);
    wf.setCurrentDetails(`**State:** ${state}\n\n**Card:** ${proxy} → ${wallet}`);
  };
  const project = (from, event) =>
    projectTransition({
      workflowId,
      lifecycle: 'PushProvisioning',
      version: seq,
      state,
      view: { proxy, wallet, payloadsIssued: 0, activeTokens: [], removedTokens: [], rejection: null },
      transition: {
        workflowId,
        lifecycle: 'PushProvisioning',
        seq,
        from,
        event,
        to: state,
        at: new Date().toISOString(),
      },
    });
  const send = async (event, to) => {
    const from = state;
    state = to;
    seq += 1;
    publish();
    await project(from, event);
  };
  publish();
  const started = (async () => {
    seq = (await lastProjectedVersion(workflowId)) + 1;
    await project('', 'STARTED');
  })();
  wf.setHandler(requestPayload, async (request) => {
    await started;
    await send('PAYLOAD_REQUESTED', 'checkingCard');
    await checkCardForProvisioning({ proxy, wallet });
    await send('CARD_ELIGIBLE', 'issuingPayload');
    const payload = await issueWalletPayload({ proxy, wallet }, request);
    await send('PAYLOAD_ISSUED', 'awaitingWallet');
    answered = true;
    return { ok: true, payload };
  });
  await wf.condition(() => answered && wf.allHandlersFinished());
}

async function floor() {
  let answered = false;
  wf.setHandler(floorUpdate, () => {
    answered = true;
    return { ok: true };
  });
  await wf.condition(() => answered && wf.allHandlersFinished());
}

module.exports = { sameShape, floor };

/** A finished lifecycle for the preload: started with the product's search attributes, done at once. */
async function preloaded() {}

module.exports.preloaded = preloaded;

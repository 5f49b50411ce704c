// The bare-Temporal cases, called from the benchmark's process on the baseline worker's task queue.
const { randomUUID } = require('node:crypto');
const { Client, Connection, WithStartWorkflowOperation } = require('@temporalio/client');

const key = (name) => ({ name, type: 'KEYWORD' });

class BareTemporal {
  static async connect(stack) {
    const temporal = new BareTemporal();
    temporal.taskQueue = stack.baselineTaskQueue;
    temporal.connection = await Connection.connect({ address: stack.temporalAddress });
    temporal.client = new Client({ connection: temporal.connection });
    return temporal;
  }

  updateWithStart(workflowType, update, args, proxy) {
    const start = new WithStartWorkflowOperation(workflowType, {
      workflowId: `bench-${workflowType}-${randomUUID()}`,
      taskQueue: this.taskQueue,
      workflowIdConflictPolicy: 'USE_EXISTING',
      args,
      typedSearchAttributes: [
        { key: key('Lifecycle'), value: 'PushProvisioning' },
        { key: key('CardId'), value: proxy },
        { key: key('Wallet'), value: 'GooglePay' },
      ],
    });
    return this.client.workflow
      .executeUpdateWithStart(update, { args: update === 'floor' ? [] : [{}], startWorkflowOperation: start })
      .catch(async (error) => {
        // A refused start hides its reason behind FAILED_PRECONDITION: surface the start's own error.
        const startError = await start.workflowHandle().then(
          () => null,
          (reason) => reason,
        );
        throw startError ?? error;
      });
  }

  /** Push provisioning's shape: update-with-start answered after 7 no-op activities. */
  sameShape() {
    const proxy = randomUUID().slice(0, 20);
    return this.updateWithStart('sameShape', 'requestPayload', [{ proxy, wallet: 'GooglePay' }], proxy);
  }

  floor() {
    return this.updateWithStart('floor', 'floor', [], randomUUID().slice(0, 20));
  }

  /** Starts `count` workflows that finish at once, 50 at a time, carrying the product's search attributes. */
  async preloadCompleted(count) {
    let next = 0;
    const one = async () => {
      while (next < count) {
        next += 1;
        await this.client.workflow.start('preloaded', {
          workflowId: `bench-preloaded-${randomUUID()}`,
          taskQueue: this.taskQueue,
          typedSearchAttributes: [
            { key: key('Lifecycle'), value: 'PushProvisioning' },
            { key: key('LifecycleState'), value: 'removed' },
            { key: key('CardId'), value: randomUUID().slice(0, 20) },
            { key: key('Wallet'), value: 'GooglePay' },
          ],
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(50, count) }, one));
  }

  close() {
    return this.connection.close();
  }
}

module.exports = { BareTemporal };

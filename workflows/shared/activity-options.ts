import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';

/*
 * Timeouts and retry policies named by what an activity talks to, so that activities that should
 * fail and retry alike are written alike, once. Without a schedule-to-close timeout, Temporal
 * retries an activity until it succeeds: these presets never give up, they only pace the retries.
 */

/**
 * Our own stores (projections, the card vault, the key store): an outage there ends, so keep
 * retrying, backing off to once a minute.
 */
export const storeWrites: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
};

/** `storeWrites` for a local activity: the same pacing, retried by the workflow while it backs off. */
export const storeWritesLocal: LocalActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
};

/**
 * A partner's or a shop's endpoint, which may be down for hours: deliver until it answers, at most
 * every 10 minutes, so a delivery is late rather than lost.
 */
export const deliveredUntilAnswered: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
};

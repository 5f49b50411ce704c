export * from './card.repository';
export * from './connection';
export * from './partner-event.repository';
export * from './projection.repository';

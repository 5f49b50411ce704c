export * from './card.repository';
export * from './connection';
export * from './partner-event.repository';
export * from './projection.repository';
export * from './card-program.repository';
export * from './otp-outbox.repository';

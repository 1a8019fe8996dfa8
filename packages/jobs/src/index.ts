export * from './queue.ts';
export * from './runner.ts';
export * from './wakeup.ts';
export * from './segment-queue.ts';
export * from './segment-runner.ts';
export * from './heartbeat.ts';
export * from './admission.ts';
export * from './capabilities.ts';

export * from './queue.ts';
export * from './runner.ts';
export * from './wakeup.ts';

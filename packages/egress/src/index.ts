export * from './address.ts';
export * from './agent.ts';
export * from './guard.ts';

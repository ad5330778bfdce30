export { FastLeaderElection } from './core/fle.js';
export * from './core/types.js';

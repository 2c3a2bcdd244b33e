export * from './price-list.js';
export * from './snapshot.js';
export * from './estimate.js';
export * from './refresh.js';
export * from './site-cost.js';

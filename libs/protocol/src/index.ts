export * from './errors';
export * from './accounts';
export * from './ids';
export * from './cohorts';
export * from './messaging';
export * from './mentoring';
export * from './scheduling';
export * from './progress';

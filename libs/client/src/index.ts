export * from './http';
export * from './session';

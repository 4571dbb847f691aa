/** The serverless handler for Node: the runtime-neutral API plus an adapter to `node:http`. */
export * from './index.js';
export { createNodeListener, type NodeListenerOptions } from './nodeListener.js';

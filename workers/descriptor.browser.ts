// Web Worker entry point (module worker): exposes the descriptor service over comlink.
import * as Comlink from 'comlink';
import { createDescriptorService } from '../src/worker/service.js';

Comlink.expose(createDescriptorService(Comlink.transfer));

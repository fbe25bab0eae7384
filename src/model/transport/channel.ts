// How a client pod's RPCs reach a destination service: the one interface every data plane mode
// implements (see client/routes.ts for how each is put together).
import type { Done, Req } from '../rpc.ts';

export interface Channel {
  send(req: Req, done: Done): void;
}

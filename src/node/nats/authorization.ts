/**
 * The nats-server `authorization` block that makes identities unfakeable: one user per node,
 * known by its nkey, allowed to publish only subjects that end with its own endpoint
 * (subjects.ts) and to subscribe only to what its role needs.
 */
import { type Endpoint, endpointKey } from '../transport.ts';
import { EVERY_CHANNEL, endpointToken, inboxSubscription, SUBJECT_ROOT } from './subjects.ts';

/** One node of the federation as NATS knows it. */
export interface NatsNodeIdentity {
  /** A name for people: the seed file is NAME.nk. */
  name: string;
  /** The endpoint the node speaks as. */
  endpoint: Endpoint;
  /** The public nkey (U...) of its seed. */
  publicKey: string;
  /** A server hears every channel; a user node only its own unicast. */
  role: 'server' | 'user';
}

/** What a node may publish and subscribe to. */
export function permissionsOf(node: NatsNodeIdentity): { publish: string[]; subscribe: string[] } {
  const self = endpointToken(node.endpoint);
  // The last token of every subject, the sender, is this node's endpoint. A user node speaks
  // only to servers; a server also multicasts on its channels.
  const unicast = `${SUBJECT_ROOT}.u.*.${self}`;
  const multicast = `${SUBJECT_ROOT}.c.*.${self}`;
  return node.role === 'server'
    ? { publish: [unicast, multicast], subscribe: [inboxSubscription(node.endpoint), EVERY_CHANNEL] }
    : { publish: [unicast], subscribe: [inboxSubscription(node.endpoint)] };
}

/** The text of `auth.conf`, for `include auth.conf` in each cluster node's configuration. */
export function authorizationBlock(nodes: readonly NatsNodeIdentity[]): string {
  const users = nodes.map((node) => {
    const { publish, subscribe } = permissionsOf(node);
    const list = (subjects: string[]) => subjects.map((s) => `"${s}"`).join(', ');
    return [
      `    # ${node.name}: ${node.role} ${endpointKey(node.endpoint)}`,
      `    { nkey: ${node.publicKey}, permissions: { publish: { allow: [${list(publish)}] }, subscribe: { allow: [${list(subscribe)}] } } }`,
    ].join('\n');
  });
  return [
    '# Written by chat-proto nats-auth. Each node connects with its own nkey and may publish only',
    '# as its own endpoint (the last token of every subject): include this file in every node of',
    '# the cluster, and give each chat-proto process its NAME.nk with --nats-nkey.',
    'authorization {',
    '  users = [',
    users.join('\n'),
    '  ]',
    '}',
    '',
  ].join('\n');
}

/**
 * What the node reports, put in the right window: messages in their room's or conversation's
 * window (opened if need be, not switched to), room notices in the room's window, and the
 * server's news (checks, failovers, coming home) in the status window and the window on screen,
 * so the screen is never silent while the server is in question.
 */
import type { ChatMessage } from '../../node/index.ts';
import type { ChatClient } from './client.ts';
import { messageLine } from './message-line.ts';
import { notAnsweringText, roomNoticeText, stateNoticeText } from './notices.ts';
import { visible } from './visible.ts';
import { inWords } from './words.ts';

/** How often the status line looks at the lag again (redrawn only when it changed). */
const LAG_REFRESH = 1000;

/**
 * `checkAfter`: how long a check may go unanswered before the client says so (a keep-alive
 * checks an idle server every few seconds, and usually it answers at once). Returns a function
 * that stops the status line's timer.
 */
export function showNodeEvents(client: ChatClient, checkAfter: number): () => void {
  const { node, screen: view } = client;
  const style = view.style;
  const windows = view.windows;

  node.on('message', (m: ChatMessage) => {
    const own = m.from.alias === node.self.alias && m.from.port === node.self.port;
    if (!own) client.nicks.add(m.from.alias);
    const room = m.kind === 'room' ? (m.room ?? client.serverRoom) : undefined;
    const window =
      m.kind === 'direct'
        ? windows.open('direct', m.from.alias)
        : room === undefined
          ? windows.current
          : windows.open('room', room);
    view.lineIn(window, messageLine(m, own, window.name, style, true), messageLine(m, own, undefined, style));
  });

  node.on('roomNotice', (notice) => {
    client.nicks.add(notice.member.alias);
    view.statusIn(windows.open('room', notice.room), roomNoticeText(notice, style));
  });

  let notAnswering: ReturnType<typeof setTimeout> | undefined;
  let saidNotAnswering = false;
  node.on('state', (to, _from, event) => {
    if (to === 'checking') {
      saidNotAnswering = false;
      notAnswering = setTimeout(() => {
        if (node.state !== 'checking') return;
        saidNotAnswering = true;
        view.notice(notAnsweringText(node.server.alias));
      }, checkAfter);
    } else {
      clearTimeout(notAnswering);
    }
    const server = event === 'calledHome' ? node.preferred.alias : node.server.alias;
    const text = stateNoticeText(event, server, saidNotAnswering);
    if (text !== undefined) view.notice(text);
    view.refresh();
  });

  node.on('serverChanged', (to, from, reason) =>
    view.notice(
      reason === 'failover'
        ? `${visible(from.alias)} stopped answering; now on ${visible(to.alias)} at ${to.ip}:${to.port}`
        : `${visible(to.alias)} is back at ${to.ip}:${to.port}; moved home from ${visible(from.alias)}`,
    ),
  );
  node.on('roomRejoined', (r, server, how) =>
    view.statusIn(
      windows.open('room', r),
      how === 'joined'
        ? `rejoined ${style.room(r)} on ${visible(server.alias)}`
        : `rejoined ${style.room(r)} on ${visible(server.alias)} (created it there)`,
    ),
  );
  node.on('roomLost', (r, server, error) => {
    const text = inWords(error, `lost room ${r}`, server);
    view.error(text);
  });
  node.on('warning', (warning) => view.error(`warning: ${visible(warning.message)}`));
  node.on('error', (error) => view.error(`network: ${visible(error.message)}`));

  const lag = setInterval(() => view.refresh(), LAG_REFRESH);
  lag.unref();
  return () => {
    clearInterval(lag);
    clearTimeout(notAnswering);
  };
}

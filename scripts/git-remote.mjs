#!/usr/bin/env node
/**
 * A loopback git remote for tests and the demo: `git http-backend` behind HTTP Basic auth.
 *
 *   GIT_REMOTE_USER=u GIT_REMOTE_PASSWORD=p node scripts/git-remote.mjs --root DIR \
 *       [--port N] [--init NAME.git]... [--hang] [--protocol-v0]
 *
 * Serves every bare repository under DIR at http://127.0.0.1:PORT/<path>, fetch and push.
 * When listening it prints one JSON line on stdout: {"url": "http://127.0.0.1:PORT", "pid": N}.
 * Stop it with SIGTERM; start it again with the same --port to bring the remote back.
 * --hang accepts connections and never answers (a remote that hangs).
 * --protocol-v0 ignores the Git-Protocol header, as a server without protocol v2 does.
 * Each request is logged on stderr as `git-remote: METHOD PATH out=BYTES in=BYTES STATUS`; the password
 * is read from the environment (or --password, visible in `ps`), and is never logged.
 */
import { spawn, execFileSync } from 'node:child_process';
import { timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const HOST = '127.0.0.1';

function readOptions() {
  const { values } = parseArgs({
    options: {
      root: { type: 'string' },
      port: { type: 'string', default: '0' },
      user: { type: 'string' },
      password: { type: 'string' },
      init: { type: 'string', multiple: true, default: [] },
      hang: { type: 'boolean', default: false },
      'protocol-v0': { type: 'boolean', default: false }
    }
  });
  const user = values.user ?? process.env.GIT_REMOTE_USER;
  const password = values.password ?? process.env.GIT_REMOTE_PASSWORD;
  if (!values.root) {
    throw new Error('--root DIR is required');
  }
  if (!user || !password) {
    throw new Error(
      'a user and a password are required (GIT_REMOTE_USER and GIT_REMOTE_PASSWORD, or --user and --password)'
    );
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a port number, not '${values.port}'`);
  }
  return { ...values, root: resolve(values.root), port, user, password };
}

function initBareRepositories(root, names) {
  mkdirSync(root, { recursive: true });
  for (const name of names) {
    const dir = join(root, name);
    if (!dir.startsWith(root + '/')) {
      throw new Error(`--init ${name}: not inside the root`);
    }
    if (!existsSync(dir)) {
      execFileSync('git', ['init', '--quiet', '--bare', dir]);
    }
  }
}

/** Constant-time comparison of the Basic credentials, so timing leaks nothing. */
function isAuthorized(header, user, password) {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) {
    return false;
  }
  const given = Buffer.from(match[1], 'base64');
  const expected = Buffer.from(`${user}:${password}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The CGI environment of one request; built from scratch so no secret of ours leaks into git. */
function cgiEnvironment(req, url, root, user, protocolV0) {
  const env = {
    PATH: process.env.PATH,
    // No global or system config of whoever runs the tests changes what the remote does.
    HOME: root,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_COUNT: '2',
    GIT_CONFIG_KEY_0: 'http.receivepack',
    GIT_CONFIG_VALUE_0: 'true',
    GIT_CONFIG_KEY_1: 'safe.directory',
    GIT_CONFIG_VALUE_1: '*',
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
    REQUEST_METHOD: req.method,
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    REMOTE_USER: user,
    REMOTE_ADDR: req.socket.remoteAddress ?? HOST
  };
  const headers = {
    CONTENT_TYPE: 'content-type',
    CONTENT_LENGTH: 'content-length',
    HTTP_CONTENT_ENCODING: 'content-encoding',
    HTTP_GIT_PROTOCOL: 'git-protocol'
  };
  for (const [name, header] of Object.entries(headers)) {
    if (
      req.headers[header] !== undefined &&
      !(protocolV0 && name === 'HTTP_GIT_PROTOCOL')
    ) {
      env[name] = req.headers[header];
    }
  }
  return env;
}

/** Reads the CGI header block from git's stdout, then streams the rest as the body. */
function relayCgiResponse(child, res) {
  let head = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on('data', chunk => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    const endLf = head.indexOf('\n\n');
    const cut = end >= 0 ? end : endLf;
    if (cut < 0) {
      return;
    }
    const separator = end >= 0 ? 4 : 2;
    let status = 200;
    for (const line of head
      .subarray(0, cut)
      .toString('latin1')
      .split(/\r?\n/)) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') {
        status = parseInt(value, 10);
      } else if (name) {
        res.setHeader(name, value);
      }
    }
    res.statusCode = status;
    headersDone = true;
    res.write(head.subarray(cut + separator));
  });
  child.stdout.on('end', () => {
    if (!headersDone) {
      res.statusCode = 502;
    }
    res.end();
  });
}

function serveGit(req, res, options, log) {
  const url = new URL(req.url, `http://${HOST}`);
  if (url.pathname.split('/').includes('..')) {
    res.writeHead(400).end('bad path\n');
    log(req, 400);
    return;
  }
  if (
    !isAuthorized(req.headers.authorization, options.user, options.password)
  ) {
    res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git-remote"' });
    res.end('authentication required\n');
    log(req, 401);
    return;
  }
  const child = spawn('git', ['http-backend'], {
    env: cgiEnvironment(
      req,
      url,
      options.root,
      options.user,
      options['protocol-v0']
    ),
    stdio: ['pipe', 'pipe', 'pipe']
  });
  child.stderr.on('data', data =>
    process.stderr.write(`git-remote: git: ${data}`)
  );
  // The client may hang up before git has read everything: not our error.
  child.stdin.on('error', () => undefined);
  let received = 0;
  req.on('data', chunk => (received += chunk.length));
  let sent = 0;
  const write = res.write.bind(res);
  res.write = (chunk, ...rest) => {
    sent += chunk.length;
    return write(chunk, ...rest);
  };
  req.pipe(child.stdin);
  relayCgiResponse(child, res);
  child.on('close', () => log(req, res.statusCode, received, sent));
}

function main() {
  const options = readOptions();
  initBareRepositories(options.root, options.init);
  // Method and path only: credentials travel in a header that is never printed.
  // Method, path, response and request body sizes (tests and benchmarks
  // check what a push cost) and status, last.
  const log = (req, status, received = 0, sent = 0) =>
    process.stderr.write(
      `git-remote: ${req.method} ${new URL(req.url, 'http://x').pathname} out=${sent} in=${received} ${status}\n`
    );
  const server = createServer((req, res) => {
    if (options.hang) {
      return;
    }
    serveGit(req, res, options, log);
  });
  server.listen(options.port, HOST, () => {
    const { port } = server.address();
    process.stdout.write(
      JSON.stringify({ url: `http://${HOST}:${port}`, pid: process.pid }) + '\n'
    );
  });
  const stop = () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

try {
  main();
} catch (err) {
  process.stderr.write(`git-remote: ${err.message}\n`);
  process.exit(2);
}

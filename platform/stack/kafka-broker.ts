import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A single-node Apache Kafka broker in KRaft mode (combined broker + controller) for machines
 * without Docker. The broker's jars come from Maven Central through Maven and are cached under
 * `.stack/` (git-ignored). Idempotent: `up` twice starts one broker; a broker left behind by a
 * killed run is found again through its pid file or its command line.
 *
 * Version 4.4.0 was chosen by testing kafkajs 2.2.4 against it: transactions (commit, abort,
 * sendOffsets), idempotent producers, read_committed consumers and consumer-group rebalances all
 * work (see test/kafka.integration.test.ts). Kafka 4.x removed protocol versions older than
 * those kafkajs uses, so no fallback to 3.9 was needed.
 */
export const KAFKA_VERSION = '4.4.0';
const SCALA_VERSION = '2.13';
const LOG4J_VERSION = '2.24.3';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface BrokerOptions {
  /** Folder holding the broker's state; default `<repo>/.stack`. */
  stackDir?: string;
  /** Folder of the downloaded jars; default the stack folder (one download serves every broker). */
  cacheDir?: string;
  port?: number;
  controllerPort?: number;
  /** Heap for the broker JVM; 1 GiB is plenty for development on a 2-core, 24 GiB machine. */
  heap?: string;
  log?: (line: string) => void;
}

interface Resolved {
  stackDir: string;
  libsDir: string;
  brokerDir: string;
  dataDir: string;
  pidFile: string;
  logFile: string;
  propertiesFile: string;
  log4jFile: string;
  port: number;
  controllerPort: number;
  heap: string;
  log: (line: string) => void;
}

function resolve(options: BrokerOptions): Resolved {
  const stackDir = path.resolve(options.stackDir ?? process.env.MILLRACE_STACK_DIR ?? path.join(repoRoot, '.stack'));
  const brokerDir = path.join(stackDir, 'broker');
  return {
    stackDir,
    libsDir: path.join(path.resolve(options.cacheDir ?? stackDir), `kafka-${KAFKA_VERSION}`, 'libs'),
    brokerDir,
    dataDir: path.join(brokerDir, 'data'),
    pidFile: path.join(brokerDir, 'broker.pid'),
    logFile: path.join(brokerDir, 'broker.log'),
    propertiesFile: path.join(brokerDir, 'server.properties'),
    log4jFile: path.join(brokerDir, 'log4j2.yaml'),
    port: options.port ?? Number(process.env.MILLRACE_STACK_KAFKA_PORT ?? 19092),
    controllerPort: options.controllerPort ?? Number(process.env.MILLRACE_STACK_KAFKA_CONTROLLER_PORT ?? 19093),
    heap: options.heap ?? '1g',
    log: options.log ?? ((line) => process.stderr.write(`${line}\n`)),
  };
}

export class StackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StackError';
  }
}

export interface BrokerStatus {
  running: boolean;
  pid?: number;
  bootstrap: string;
  logFile: string;
}

export function brokerAddress(options: BrokerOptions = {}): string {
  return `127.0.0.1:${resolve(options).port}`;
}

/** Starts the broker unless one of ours already runs; resolves when it answers on its port. */
export async function brokerUp(options: BrokerOptions = {}): Promise<BrokerStatus> {
  const r = resolve(options);
  const existing = findRunningBroker(r);
  if (existing) {
    await waitForPort(r.port, 60_000, existing);
    r.log(`kafka: broker already running (pid ${existing}) on 127.0.0.1:${r.port}`);
    return { running: true, pid: existing, bootstrap: `127.0.0.1:${r.port}`, logFile: r.logFile };
  }
  if (await portAnswers(r.port)) {
    throw new StackError(
      `port ${r.port} is taken by a process that is not Millrace's broker; stop it, set MILLRACE_STACK_KAFKA_PORT, or point KAFKA_BROKERS at it`,
    );
  }
  ensureJava();
  ensureJars(r);
  writeBrokerConfig(r);
  formatStorageOnce(r);
  const pid = startBroker(r);
  try {
    await waitForPort(r.port, 90_000, pid);
  } catch (error) {
    const tail = readTail(r.logFile, 20);
    throw new StackError(`${(error as Error).message}\n--- last lines of ${r.logFile} ---\n${tail}`);
  }
  r.log(`kafka: broker ${KAFKA_VERSION} started (pid ${pid}) on 127.0.0.1:${r.port}; logs in ${r.logFile}`);
  return { running: true, pid, bootstrap: `127.0.0.1:${r.port}`, logFile: r.logFile };
}

/** Stops our broker: SIGTERM for a clean shutdown, SIGKILL after 30 s. Safe when none runs. */
export async function brokerDown(options: BrokerOptions = {}): Promise<void> {
  const r = resolve(options);
  const pid = findRunningBroker(r);
  if (!pid) {
    fs.rmSync(r.pidFile, { force: true });
    r.log('kafka: no broker running');
    return;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 30_000;
  while (isAlive(pid) && Date.now() < deadline) await sleep(200);
  if (isAlive(pid)) {
    r.log(`kafka: broker ${pid} ignored SIGTERM for 30 s, killing it`);
    process.kill(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(100);
  }
  fs.rmSync(r.pidFile, { force: true });
  r.log(`kafka: broker ${pid} stopped`);
}

export function brokerStatus(options: BrokerOptions = {}): BrokerStatus {
  const r = resolve(options);
  const pid = findRunningBroker(r);
  return { running: pid !== undefined, ...(pid ? { pid } : {}), bootstrap: `127.0.0.1:${r.port}`, logFile: r.logFile };
}

/** Our broker's pid, from the pid file or (if that was lost) from the process table. */
function findRunningBroker(r: Resolved): number | undefined {
  const fromFile = readPid(r.pidFile);
  if (fromFile && isOurBroker(fromFile, r)) return fromFile;
  if (fromFile) fs.rmSync(r.pidFile, { force: true }); // stale: the process died or the pid was reused
  const found = scanProcesses(r);
  if (found) fs.writeFileSync(r.pidFile, String(found));
  return found;
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function commandLine(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return undefined;
  }
}

function isOurBroker(pid: number, r: Resolved): boolean {
  if (!isAlive(pid)) return false;
  const cmd = commandLine(pid);
  // Without /proc (macOS) trust the pid file; on Linux check it is a Kafka broker with our config.
  if (cmd === undefined) return fs.existsSync('/proc') ? false : true;
  return cmd.includes('kafka.Kafka') && cmd.includes(r.propertiesFile);
}

function scanProcesses(r: Resolved): number | undefined {
  if (!fs.existsSync('/proc')) return undefined;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid !== process.pid && isOurBroker(pid, r)) return pid;
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers kill(0); it is dead for our purposes.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(stat);
  } catch {
    return true;
  }
}

function ensureJava(): void {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.error || java.status !== 0) {
    throw new StackError('Java 17+ is needed to run the local Kafka broker (apt-get install openjdk-17-jre-headless), or set KAFKA_BROKERS to an existing cluster');
  }
}

/** Downloads the broker's runtime jars once with Maven; later runs use the cache. */
function ensureJars(r: Resolved): void {
  const marker = path.join(r.libsDir, '.complete');
  if (fs.existsSync(marker)) return;
  const mvn = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
  if (mvn.error || mvn.status !== 0) {
    throw new StackError('Maven is needed once to fetch the Kafka broker jars (apt-get install maven), or set KAFKA_BROKERS to an existing cluster');
  }
  const projectDir = path.dirname(r.libsDir);
  fs.mkdirSync(projectDir, { recursive: true });
  fs.writeFileSync(path.join(projectDir, 'pom.xml'), brokerPom());
  r.log(`kafka: fetching Apache Kafka ${KAFKA_VERSION} jars from Maven Central into ${r.libsDir} (once)`);
  const result = spawnSync(
    'mvn',
    ['-q', '-B', 'dependency:copy-dependencies', `-DoutputDirectory=${r.libsDir}`, '-DincludeScope=runtime'],
    { cwd: projectDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (result.status !== 0) {
    throw new StackError(`Maven could not fetch the Kafka jars:\n${result.stdout}\n${result.stderr}`);
  }
  fs.writeFileSync(marker, new Date().toISOString());
}

function brokerPom(): string {
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.millrace.stack</groupId>
  <artifactId>kafka-broker</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_${SCALA_VERSION}</artifactId><version>${KAFKA_VERSION}</version></dependency>
    <!-- The broker logs through slf4j 1.7; this binds it to log4j2, which writes broker.log. -->
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>${LOG4J_VERSION}</version></dependency>
  </dependencies>
</project>
`;
}

function writeBrokerConfig(r: Resolved): void {
  fs.mkdirSync(r.dataDir, { recursive: true });
  const properties = [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${r.controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${r.port},CONTROLLER://127.0.0.1:${r.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${r.port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `log.dirs=${r.dataDir}`,
    // Sized for a 2-core development machine.
    'num.network.threads=2',
    'num.io.threads=4',
    'num.partitions=3',
    'offsets.topic.num.partitions=5',
    'offsets.topic.replication.factor=1',
    'transaction.state.log.num.partitions=5',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    // Millrace creates every topic it uses, with the right partitions and cleanup policy.
    'auto.create.topics.enable=false',
    'log.segment.bytes=67108864',
    'log.retention.hours=168',
    'log.cleaner.threads=1',
    'delete.topic.enable=true',
  ].join('\n');
  fs.writeFileSync(r.propertiesFile, `${properties}\n`);
  fs.writeFileSync(
    r.log4jFile,
    [
      'Configuration:',
      '  Appenders:',
      '    RollingFile:',
      '      name: brokerLog',
      `      fileName: ${r.logFile}`,
      `      filePattern: ${r.logFile}.%i`,
      '      PatternLayout: { pattern: "[%d] %p %m (%c)%n" }',
      '      Policies: { SizeBasedTriggeringPolicy: { size: 50MB } }',
      '      DefaultRolloverStrategy: { max: 3 }',
      '  Loggers:',
      '    Root: { level: INFO, AppenderRef: [ { ref: brokerLog } ] }',
      '    Logger:',
      '      - { name: kafka.log.LogCleaner, level: WARN }',
      '      - { name: org.apache.kafka.storage, level: WARN }',
      '',
    ].join('\n'),
  );
}

function classPath(r: Resolved): string {
  return `${r.libsDir}/*`;
}

function formatStorageOnce(r: Resolved): void {
  if (fs.existsSync(path.join(r.dataDir, 'meta.properties'))) return;
  const idResult = spawnSync('java', ['-cp', classPath(r), 'kafka.tools.StorageTool', 'random-uuid'], { encoding: 'utf8' });
  const clusterId = idResult.stdout.trim().split('\n').pop();
  if (idResult.status !== 0 || !clusterId) throw new StackError(`could not create a cluster id: ${idResult.stderr}`);
  const result = spawnSync(
    'java',
    [`-Dlog4j2.configurationFile=${r.log4jFile}`, '-cp', classPath(r), 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', r.propertiesFile],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new StackError(`could not format KRaft storage: ${result.stdout}${result.stderr}`);
}

function startBroker(r: Resolved): number {
  const out = fs.openSync(path.join(r.brokerDir, 'broker.out'), 'a');
  const child = spawn(
    'java',
    [
      `-Xms256m`,
      `-Xmx${r.heap}`,
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${r.log4jFile}`,
      '-cp',
      classPath(r),
      'kafka.Kafka',
      r.propertiesFile,
    ],
    { detached: true, stdio: ['ignore', out, out] },
  );
  child.unref();
  fs.closeSync(out);
  if (!child.pid) throw new StackError('could not start java for the Kafka broker');
  fs.writeFileSync(r.pidFile, String(child.pid));
  return child.pid;
}

async function waitForPort(port: number, timeoutMs: number, pid: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) throw new StackError(`the Kafka broker (pid ${pid}) exited during start-up`);
    if (await portAnswers(port)) return;
    await sleep(250);
  }
  throw new StackError(`the Kafka broker did not open 127.0.0.1:${port} within ${Math.round(timeoutMs / 1000)} s`);
}

export function portAnswers(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = net.connect({ port, host });
    const done = (answer: boolean) => {
      socket.destroy();
      resolvePromise(answer);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function readTail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log yet)';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolvePromise) => setTimeout(resolvePromise, ms));
}

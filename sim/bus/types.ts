// The contract between the simulator runtime (the MCU side: what the firmware's Espruino API
// touches) and the virtual parts (what sits on the other end of a pin or bus). Parts never
// see the firmware; the firmware never sees parts. Both meet here, at levels and bytes.
//
// Time is virtual and in seconds (float, microsecond resolution), owned by one Clock.

/** The one virtual clock. Nothing in the simulator reads the wall clock except the
 *  interactive pacing loop. */
export interface Clock {
  /** current virtual time, seconds since power-on of the simulated world */
  now(): number;
  /** run fn at virtual time t (>= now); returns a handle for cancel. Ties run in schedule order. */
  at(t: number, fn: () => void): number;
  /** run fn dt seconds from now */
  after(dt: number, fn: () => void): number;
  cancel(handle: number): void;
}

export type Level = 0 | 1;

/** The GPIO nets of the board. The MCU side (runtime) sets modes and output levels; parts
 *  drive or pull nets. A net's level: MCU push-pull output wins; else any part (or an
 *  MCU open-drain output) pulling low gives 0; else a part driving high gives 1; else the
 *  MCU's pull-up/pull-down; else 0 (floating reads low). GPIO 34-39 have no pulls. */
export interface PinNets {
  /** resolved level of a GPIO now */
  level(gpio: number): Level;
  /** a part drives a net: 0, 1, or null to release it */
  drive(gpio: number, owner: string, level: Level | null): void;
  /** a part whose output depends on other nets (a key matrix): the resolver is asked for
   *  this net's level (0, 1 or null = not driving) on every re-evaluation */
  resolve(gpio: number, owner: string, resolver: () => Level | null): void;
  /** re-evaluate every net after a part changed its state (emits edges) */
  update(): void;
  /** observe level changes of a net (parts watching MCU outputs, e.g. keypad rows, PN532 reset) */
  onChange(gpio: number, fn: (level: Level, t: number) => void): void;
  /** the MCU's current mode for a GPIO (parts may check pull-ups) */
  mode(gpio: number): PinMode;
}

/** A device on a simulated I2C bus. Each master transaction (START..STOP) calls write or
 *  read once with all its bytes. Throw NackError to NACK (the master's call then throws,
 *  as Espruino's does). An address with no target NACKs. */
export interface I2CTarget {
  readonly address: number;
  write(data: Uint8Array): void;
  read(length: number): Uint8Array;
}
export class NackError extends Error {}

export interface I2CBusSim {
  attach(target: I2CTarget): void;
  detach(address: number): void;
  /** every transaction, for probes and byte-count figures */
  onTransaction(fn: (t: { address: number; dir: "w" | "r"; data: Uint8Array; ok: boolean; time: number }) => void): void;
}

/** One UART wire pair between the MCU and a part. Bytes take 10 bits at the baud rate;
 *  the MCU's write blocks while its 256-byte TX queue is full (the interpreter stalls, in
 *  virtual time). */
export interface UartSim {
  readonly baud: number;
  /** the part receives each byte when its stop bit ends on the wire */
  onTx(fn: (byte: number, t: number) => void): void;
  /** the part sends bytes to the MCU; they arrive paced by the baud rate and reach the
   *  firmware's on('data') as chunks through the event queue */
  send(bytes: Uint8Array | number[] | string): void;
}

/** What a part factory receives from the harness. */
export interface PartContext {
  clock: Clock;
  pins: PinNets;
  i2c(busId: string): I2CBusSim;
  uart(busId: string): UartSim;
  /** seeded random source for this part (reproducible runs) */
  random(): number;
  log(line: string): void;
}

/** A virtual part. Controls (press, swipe, tap, paperOut...) are the part's own methods.
 *  Parts keep their physical state across firmware power cycles; powerCut/powerOn tell
 *  them the supply went away (a PN532 loses its state, a printer stops mid-line). */
export interface VirtualPart {
  readonly role: string;
  readonly type: string;
  powerCut?(): void;
  powerOn?(): void;
}
export type PartFactory = (role: string, spec: any, ctx: PartContext) => VirtualPart;

/** The virtual IP network behind the simulated WiFi. Hosts (the acquirer simulator) listen
 *  on host:port; the runtime's require("net").connect goes through here. Faults: the link
 *  can be dropped (connects fail, open sockets close after a timeout) and bytes delayed. */
export interface VirtualSocket {
  /** bytes from this end to the peer (latin1 string, Espruino style) */
  write(data: string): void;
  end(): void;
  onData(fn: (data: string) => void): void;
  onClose(fn: () => void): void;
}
/** a datagram arrived at a UDP endpoint: its bytes (latin1) and who sent it */
export type UdpHandler = (data: string, from: { address: string; port: number }) => void;
/** a bound UDP endpoint: sends from its own address and port */
export interface UdpEndpoint {
  readonly address: string;
  readonly port: number;
  send(toHost: string, toPort: number, data: string): void;
  close(): void;
}
export interface VirtualNetwork {
  listen(host: string, port: number, onConnection: (socket: VirtualSocket) => void): void;
  unlisten(host: string, port: number): void;
  /** throws an Error with a message if the host is unreachable or the link is down */
  connect(host: string, port: number): VirtualSocket;
  /** link state as WiFi sees it */
  up: boolean;
  setUp(up: boolean): void;
  /** one-way latency, seconds */
  latency: number;
  /** UDP: an endpoint at host:port (0: an ephemeral port) receiving datagrams */
  udpBind(host: string, port: number, onMessage: UdpHandler): UdpEndpoint;
}

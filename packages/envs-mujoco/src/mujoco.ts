/**
 * Loading the MuJoCo WebAssembly module (`mujoco-js`, DeepMind's official build) once per process,
 * and compiling MJCF XML strings into models.
 *
 * Source: the `mujoco-js` 0.0.7 README (`loadMujoco()`, the Emscripten `FS`, `MjModel.loadFromXML`,
 * `new MjData(model)`).
 */
import type { MainModule, MjData, MjModel } from 'mujoco-js';
import loadMujocoModule from 'mujoco-js';

export type { MainModule, MjData, MjModel };

/** The messages MuJoCo printed (warnings, load errors) since {@link takeMessages} last ran. */
const messages: string[] = [];
let module: MainModule | undefined;
let loading: Promise<MainModule> | undefined;
let fileCounter = 0;

/** The folder of the Emscripten in-memory file system where model XML files are written. */
const MODEL_DIR = '/proximal-models';

let compiling = false;
const warned = new Set<string>();

function record(line: string): void {
  if (line.trim() === '') return;
  messages.push(line);
  if (messages.length > 100) messages.shift();
  if (compiling) return;
  // Outside model compilation MuJoCo prints warnings (e.g. an unstable simulation that it reset):
  // each distinct warning is emitted once per process as a Node warning, not silently dropped.
  const key = line.replace(/Time = [\d.]+/, '').trim();
  if (!warned.has(key)) {
    warned.add(key);
    process.emitWarning(`MuJoCo: ${line.trim()}`, { code: 'PROXIMAL_MUJOCO' });
  }
}

/**
 * Loads the MuJoCo WebAssembly module (about 11 MB, compiled once per process; later calls return
 * the same module). Importing `@proximal/envs-mujoco` already awaits it, so `make()` can build the
 * envs synchronously afterwards. MuJoCo's printed output (warnings such as "Nan, Inf or huge value
 * in QACC") is collected (see {@link takeMessages}) instead of written to stdout, and each distinct
 * warning is also emitted once per process with `process.emitWarning` (code `PROXIMAL_MUJOCO`).
 * @returns the Emscripten module (`MjModel`, `MjData`, `mj_step`, `FS`, ...).
 */
export function loadMujoco(): Promise<MainModule> {
  if (loading === undefined) {
    loading = loadMujocoModule({ print: record, printErr: record }).then((m) => {
      m.FS.mkdir(MODEL_DIR);
      module = m;
      return m;
    });
  }
  return loading;
}

/**
 * The loaded module.
 * @throws Error when {@link loadMujoco} has not finished yet (it has, once `import
 *   '@proximal/envs-mujoco'` has resolved).
 */
export function mujocoModule(): MainModule {
  if (module === undefined) {
    throw new Error(
      '@proximal/envs-mujoco: the MuJoCo WebAssembly module is not loaded yet; await loadMujoco() (or the import of @proximal/envs-mujoco) first',
    );
  }
  return module;
}

/**
 * The lines MuJoCo printed since the last call (warnings of unstable simulations, XML load
 * errors), oldest first; the buffer keeps the last 100 and is emptied by this call.
 */
export function takeMessages(): string[] {
  return messages.splice(0, messages.length);
}

/**
 * Compiles an MJCF model from an XML string: writes it to the module's in-memory file system
 * (`mujoco-js` loads models from paths only), loads it with `MjModel.loadFromXML`, and removes the
 * file again.
 * @param xml the MJCF document.
 * @param what the model's name, for messages.
 * @returns a new `MjModel` (free it with `delete()`).
 * @throws Error naming `what` with MuJoCo's message when the XML does not compile.
 */
export function compileModel(xml: string, what: string): MjModel {
  const mj = mujocoModule();
  if (typeof xml !== 'string')
    throw new TypeError(`${what}: the model XML must be a string, got ${typeof xml}`);
  const path = `${MODEL_DIR}/model-${++fileCounter}.xml`;
  mj.FS.writeFile(path, xml);
  takeMessages();
  let model: MjModel | null = null;
  let failure = '';
  compiling = true;
  try {
    model = mj.MjModel.loadFromXML(path);
  } catch (error) {
    // mujoco-js throws a C++ exception object (`{ name: 'mjXError', excPtr }`) without the text.
    const name = (error as { name?: unknown })?.name;
    failure = typeof name === 'string' ? name : String(error);
  } finally {
    compiling = false;
    mj.FS.unlink(path);
  }
  const printed = takeMessages().join(' ');
  if (model === null || model === undefined) {
    const detail = [failure, printed].filter((s) => s !== '').join(': ');
    throw new Error(`${what}: MuJoCo could not compile the model XML (${detail || 'no message'})`);
  }
  return model;
}

/**
 * The id of a named object of `model` (`mj_name2id`).
 * @param type `'body'`, `'joint'`, `'site'` or `'geom'`.
 * @throws Error naming the object when the model has none of that name.
 */
export function objectId(model: MjModel, type: 'body' | 'joint' | 'site' | 'geom', name: string): number {
  const mj = mujocoModule();
  const kinds = {
    body: mj.mjtObj.mjOBJ_BODY,
    joint: mj.mjtObj.mjOBJ_JOINT,
    site: mj.mjtObj.mjOBJ_SITE,
    geom: mj.mjtObj.mjOBJ_GEOM,
  } as const;
  const id = mj.mj_name2id(model, kinds[type].value, name);
  if (id < 0) throw new Error(`the MuJoCo model has no ${type} named '${name}'`);
  return id;
}

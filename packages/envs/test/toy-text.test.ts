import { describe, expect, it } from 'vitest';
import {
  Bandit,
  CliffWalking,
  checkEnv,
  checkRenderReturn,
  FROZEN_LAKE_MAPS,
  FrozenLake,
  framePixel,
  GridWorld,
  generateRandomMap,
  make,
  ResetNeededError,
  type RgbaFrame,
  spec,
  type TimeLimit,
  type Transition,
} from '../src/index.js';
import { renderWarnings } from './warnings.js';

describe('FrozenLake', () => {
  it('is registered like Gymnasium (4x4 / 100 steps, 8x8 / 200 steps)', () => {
    expect(spec('FrozenLake-v1')).toMatchObject({ maxEpisodeSteps: 100, rewardThreshold: 0.7 });
    expect(spec('FrozenLake8x8-v1')).toMatchObject({ maxEpisodeSteps: 200, rewardThreshold: 0.85 });
    const env = make<number, number>('FrozenLake8x8-v1');
    expect((env as TimeLimit<number, number>).maxEpisodeSteps).toBe(200);
    expect(String(env.observationSpace)).toBe('Discrete(64)');
    expect(String(env.actionSpace)).toBe('Discrete(4)');
    expect((env.unwrapped as FrozenLake).desc).toEqual(FROZEN_LAKE_MAPS['8x8']);
  });

  it('has Gymnasium slippery transition probabilities (1/3 each) and terminal self-loops', () => {
    const lake = new FrozenLake();
    const third = 1 / 3;
    const round = (outcomes: Transition[]) =>
      outcomes.map((o) => ({ ...o, probability: Math.round(o.probability * 1e12) / 1e12 }));
    // State 0, action DOWN(1): LEFT → 0, DOWN → 4, RIGHT → 1, each 1/3.
    expect(round(lake.P[0][1])).toEqual(
      round([
        { probability: 1 / 3, nextState: 0, reward: 0, terminated: false },
        { probability: 1 / 3, nextState: 4, reward: 0, terminated: false },
        { probability: third, nextState: 1, reward: 0, terminated: false },
      ]),
    );
    // State 14, action RIGHT(2): DOWN → 14, RIGHT → 15 (goal, reward 1), UP → 10.
    expect(round(lake.P[14][2])).toEqual(
      round([
        { probability: 1 / 3, nextState: 14, reward: 0, terminated: false },
        { probability: 1 / 3, nextState: 15, reward: 1, terminated: true },
        { probability: third, nextState: 10, reward: 0, terminated: false },
      ]),
    );
    expect(lake.P[5][0]).toEqual([{ probability: 1, nextState: 5, reward: 0, terminated: true }]); // hole
    for (const row of lake.P)
      for (const outcomes of row) expect(outcomes.reduce((a, o) => a + o.probability, 0)).toBeCloseTo(1, 12);
    const custom = new FrozenLake({ successRate: 0.8 });
    expect(custom.P[0][2].map((o) => o.probability)).toEqual([0.09999999999999998, 0.8, 0.09999999999999998]);
  });

  it('moves deterministically when not slippery and reaches the goal with reward 1', () => {
    const env = make<number, number>('FrozenLake-v1', { isSlippery: false });
    expect(env.reset({ seed: 0 })).toEqual({ observation: 0, info: { prob: 1 } });
    const path = [1, 1, 2, 2, 1, 2]; // down down right right down right
    const states = [4, 8, 9, 10, 14, 15];
    path.forEach((a, i) => {
      const r = env.step(a);
      expect(r.observation).toBe(states[i]);
      expect(r.reward).toBe(i === path.length - 1 ? 1 : 0);
      expect(r.terminated).toBe(i === path.length - 1);
      expect(r.info).toEqual({ prob: 1 });
    });
    env.reset();
    expect(env.step(2).observation).toBe(1);
    const hole = env.step(1); // into H at 5
    expect(hole).toMatchObject({ observation: 5, reward: 0, terminated: true });
  });

  it('samples slippery outcomes with the right frequencies, reproducibly for a seed', () => {
    const env = new FrozenLake();
    const run = (seed: number): number[] => {
      env.reset({ seed });
      const out: number[] = [];
      for (let i = 0; i < 3000; i++) {
        env.s = 0;
        out.push(env.step(1).observation);
      }
      return out;
    };
    const a = run(5);
    expect(run(5)).toEqual(a);
    for (const s of [0, 4, 1]) expect(a.filter((x) => x === s).length / a.length).toBeCloseTo(1 / 3, 1);
  });

  it('truncates at 100 steps and renders as text', () => {
    const env = make<number, number>('FrozenLake-v1', { isSlippery: false, renderMode: 'ansi' });
    env.reset({ seed: 0 });
    expect(env.render()).toBe('[S] F  F  F \n F  H  F  H \n F  F  F  H \n H  F  F  G \n');
    let last = env.step(3);
    for (let t = 1; t < 100; t++) last = env.step(3); // up: stays at 0
    expect(last.truncated).toBe(true);
    expect(env.render()).toBe('  (Up)\n[S] F  F  F \n F  H  F  H \n F  F  F  H \n H  F  F  G \n');
  });

  it('generates valid random maps and rejects bad options', () => {
    const map = generateRandomMap(6, 0.7, 3);
    expect(map).toHaveLength(6);
    expect(map[0][0]).toBe('S');
    expect(map[5][5]).toBe('G');
    expect(generateRandomMap(6, 0.7, 3)).toEqual(map);
    expect(new FrozenLake({ desc: map }).numStates).toBe(36);
    expect(() => new FrozenLake({ desc: ['SX'] })).toThrow(RangeError);
    expect(() => new FrozenLake({ desc: ['FF', 'FG'] })).toThrow(/no start/);
    expect(() => new FrozenLake({ mapName: '5x5' as never })).toThrow(RangeError);
    expect(() => make('FrozenLake-v1', { slippery: true })).toThrow(TypeError);
  });
});

describe('CliffWalking', () => {
  it('costs −1 per step, −100 and back to start on the cliff, terminates at the goal', () => {
    const env = make<number, number>('CliffWalking-v0', { renderMode: 'ansi' });
    expect(String(env.observationSpace)).toBe('Discrete(48)');
    expect(env.reset({ seed: 0 }).observation).toBe(36);
    expect(env.step(1)).toMatchObject({ observation: 36, reward: -100, terminated: false }); // right: cliff
    expect(env.step(2)).toMatchObject({ observation: 36, reward: -1, terminated: false }); // down: border
    expect(env.step(0)).toMatchObject({ observation: 24, reward: -1 }); // up
    let r = env.step(1);
    for (let i = 1; i < 11; i++) r = env.step(1);
    expect(r).toMatchObject({ observation: 35, reward: -1, terminated: false });
    expect(env.step(2)).toMatchObject({ observation: 47, reward: -1, terminated: true });
    const row = ' o '.repeat(12);
    expect(env.render()).toBe(`${row}\n${row}\n${row}\n o ${' C '.repeat(10)} x \n`);
  });

  it('slips to the perpendicular directions with probability 1/3 each when slippery', () => {
    const env = new CliffWalking({ isSlippery: true });
    expect(env.P[24][1].map((o) => [o.probability, o.nextState, o.reward])).toEqual([
      [1 / 3, 12, -1], // up
      [1 / 3, 25, -1], // right
      [1 / 3, 36, -1], // down to the start cell (not a cliff)
    ]);
    expect(env.P[25][2]).toContainEqual({
      probability: 1 / 3,
      nextState: 36,
      reward: -100,
      terminated: false,
    });
  });
});

describe('GridWorld and the 2x3 maze (Maze2x3-v0)', () => {
  // The maze, cells (row, col) and states in row-major order:
  //   S(0,0)=0  .(0,1)=1  .(0,2)=2
  //   T(1,0)=3  .(1,1)=4  G(1,2)=5     a thin wall between (0,2) and (1,2)
  const UP = 0;
  const RIGHT = 1;
  const DOWN = 2;
  const LEFT = 3;

  it('is registered with one-hot states of 6 cells, Discrete(4) moves and a 100-step limit', () => {
    expect(spec('Maze2x3-v0')).toMatchObject({ maxEpisodeSteps: 100, rewardThreshold: 10 });
    const env = make<Float32Array, number>('Maze2x3-v0');
    const maze = env.unwrapped as GridWorld;
    expect(maze.layout).toEqual(['S..', 'T.G']);
    expect(maze.walls).toEqual([
      [
        [0, 2],
        [1, 2],
      ],
    ]);
    expect(maze.numStates).toBe(6);
    expect(String(env.observationSpace)).toBe('Box(0.0, 1.0, (6,), float32)');
    expect(String(env.actionSpace)).toBe('Discrete(4)');
    expect(Array.from(env.reset({ seed: 0 }).observation)).toEqual([1, 0, 0, 0, 0, 0]);
    // GridWorld's default is the same maze
    expect(new GridWorld().P).toEqual(maze.P);
    checkEnv(maze);
    checkEnv(env);
  });

  it('moves per cell and action as the layout says: walls and the border block, G and T end the episode', () => {
    const maze = new GridWorld();
    const next = (s: number, a: number) => maze.P[s][a];
    const move = (to: number, reward = 0, terminated = false) => [
      { probability: 1, nextState: to, reward, terminated },
    ];
    // state: [up, right, down, left]
    const expected: Record<number, ReturnType<typeof move>[]> = {
      0: [move(0), move(1), move(3, -10, true), move(0)],
      1: [move(1), move(2), move(4), move(0)],
      2: [move(2), move(2), move(2), move(1)], // down: the thin wall
      4: [move(1), move(5, 10, true), move(4), move(3, -10, true)],
    };
    for (const [s, rows] of Object.entries(expected)) {
      for (let a = 0; a < 4; a++) expect(next(Number(s), a), `state ${s}, action ${a}`).toEqual(rows[a]);
    }
    for (const terminal of [3, 5]) {
      for (let a = 0; a < 4; a++) expect(next(terminal, a)).toEqual(move(terminal, 0, true));
    }
    expect(maze.cells).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 1],
      [1, 2],
    ]);
    expect(maze.stateOf(1, 2)).toBe(5);
  });

  it('pays +10 for the shortest path (right, down, right), −10 for the trap, and truncates at 100 steps', () => {
    const env = make<Float32Array, number>('Maze2x3-v0');
    env.reset({ seed: 0 });
    expect(env.step(RIGHT)).toMatchObject({ reward: 0, terminated: false, truncated: false });
    expect(Array.from(env.step(DOWN).observation)).toEqual([0, 0, 0, 0, 1, 0]);
    const goal = env.step(RIGHT);
    expect(Array.from(goal.observation)).toEqual([0, 0, 0, 0, 0, 1]);
    expect(goal).toMatchObject({ reward: 10, terminated: true, truncated: false });
    env.reset();
    expect(env.step(DOWN)).toMatchObject({ reward: -10, terminated: true });
    env.reset();
    env.step(RIGHT);
    env.step(RIGHT);
    expect(env.step(DOWN)).toMatchObject({ reward: 0, terminated: false }); // the wall above the goal
    env.reset();
    let last = env.step(UP);
    for (let t = 1; t < 100; t++) last = env.step(t % 2 ? LEFT : UP);
    expect(last).toMatchObject({ reward: 0, terminated: false, truncated: true });
  });

  it('is deterministic under a seed (same trajectory for the same seed and actions)', () => {
    const run = (seed: number) => {
      const env = make<Float32Array, number>('Maze2x3-v0');
      env.actionSpace.seed(seed);
      const out: number[] = [];
      let obs = env.reset({ seed }).observation;
      for (let t = 0; t < 50; t++) {
        const r = env.step(env.actionSpace.sample() as number);
        out.push(obs.indexOf(1), r.reward);
        obs = r.observation;
        if (r.terminated || r.truncated) obs = env.reset().observation;
      }
      return out;
    };
    expect(run(3)).toEqual(run(3));
  });

  it('renders the maze with its wall as text', () => {
    const env = make<Float32Array, number>('Maze2x3-v0', { renderMode: 'ansi' });
    env.reset({ seed: 0 });
    expect(env.render()).toBe('A . .\n    -\nT . G\n');
    env.step(RIGHT);
    env.step(DOWN);
    expect(env.render()).toBe('S . .\n    -\nT A G\n');
    const vertical = new GridWorld({
      layout: ['S.G'],
      walls: [
        [
          [0, 1],
          [0, 2],
        ],
      ],
      renderMode: 'ansi',
    });
    vertical.reset({ seed: 0 });
    expect(vertical.render()).toBe('A .|G\n');
    vertical.step(RIGHT);
    expect(vertical.step(RIGHT)).toMatchObject({ reward: 0, terminated: false });
  });

  it('draws the thin wall in the SVG picture and the frame', () => {
    const env = make<Float32Array, number>('Maze2x3-v0', { renderMode: 'svg' });
    env.reset({ seed: 0 });
    const svg = env.render() as string;
    expect(svg).toContain('width="192" height="128"');
    expect(svg).toContain(
      '<polyline points="128,64 192,64" fill="none" stroke="rgb(40,40,40)" stroke-width="6.4"/>',
    );
    const frames = make<Float32Array, number>('Maze2x3-v0', { renderMode: 'rgb_array' });
    frames.reset({ seed: 0 });
    const frame = frames.render() as RgbaFrame;
    expect(framePixel(frame, 160, 64)).toEqual([40, 40, 40, 255]); // on the wall
    expect(framePixel(frame, 96, 64).slice(0, 3)).not.toEqual([40, 40, 40]); // no wall under (0, 1)
  });

  it('takes custom layouts, walls and rewards', () => {
    const env = new GridWorld({ layout: ['S..', '.T.', '..G'], stepReward: -1, trapReward: -5 });
    expect(env.walls).toEqual([]);
    env.reset({ seed: 0 });
    expect(env.step(1).reward).toBe(-1);
    expect(env.step(2)).toMatchObject({ reward: -5, terminated: true });
    const cells = new GridWorld({ layout: ['S.G', '.#T'], renderMode: 'ansi' });
    expect(cells.numStates).toBe(5);
    cells.reset({ seed: 0 });
    cells.step(2);
    expect(cells.step(1).reward).toBe(0); // right: the '#' cell
    expect(cells.render()).toBe('S.G\nA#T\n');
    expect(() => new GridWorld({ layout: ['S.', '.'] })).toThrow(RangeError);
    expect(() => new GridWorld({ layout: ['..G'] })).toThrow(/exactly one 'S'/);
    expect(() => new GridWorld({ goalReward: 'x' as never })).toThrow(TypeError);
    expect(
      () =>
        new GridWorld({
          walls: [
            [
              [0, 0],
              [1, 1],
            ],
          ],
        }),
    ).toThrow(
      /GridWorld: walls\[0\] must be \[\[row, col\], \[row, col\]\] of two side-by-side cells of the 2x3 grid, got/,
    );
    expect(
      () =>
        new GridWorld({
          walls: [
            [
              [1, 2],
              [2, 2],
            ],
          ],
        }),
    ).toThrow(/walls\[0\]/);
    expect(() => new GridWorld({ wall: [] } as never)).toThrow(/unknown option "wall"/);
  });
});

describe('Bandit', () => {
  it('draws arm means per reset and Gaussian rewards around them, reproducibly', () => {
    const env = make<number, number>('Bandit-v0', { k: 5 });
    expect(String(env.actionSpace)).toBe('Discrete(5)');
    const first = env.reset({ seed: 1 });
    const bandit = env.unwrapped as Bandit;
    const means = Array.from(bandit.means);
    expect(first).toEqual({ observation: 0, info: { optimalAction: bandit.optimalAction } });
    const rewards: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const r = env.step(2);
      rewards.push(r.reward);
      expect(r.terminated).toBe(false);
    }
    const mean = rewards.reduce((a, b) => a + b, 0) / rewards.length;
    const std = Math.sqrt(rewards.reduce((a, b) => a + (b - mean) ** 2, 0) / rewards.length);
    expect(mean).toBeCloseTo(means[2], 1);
    expect(std).toBeCloseTo(1, 1);
    env.reset({ seed: 1 });
    expect(Array.from(bandit.means)).toEqual(means);
    env.reset({ seed: 2 });
    expect(Array.from(bandit.means)).not.toEqual(means);
  });

  it('reports regret and supports fixed means', () => {
    const env = new Bandit({ means: [0, 1, 3], rewardStd: 0 });
    env.reset({ seed: 0 });
    expect(env.step(1)).toMatchObject({ reward: 1, info: { optimalAction: 2, regret: 2 } });
    expect(env.step(2).info.regret).toBe(0);
    expect(() => new Bandit({ k: 0 })).toThrow(RangeError);
    expect(() => new Bandit({ means: [0, 1], k: 3 })).toThrow(RangeError);
    expect(() => env.step(3)).toThrow(RangeError);
    expect(() => new Bandit().step(0)).toThrow(/before reset/);
  });
});

describe('toy-text rendering', () => {
  const grids = [
    { id: 'FrozenLake-v1', width: 256, height: 256, goal: [3, 3] },
    { id: 'FrozenLake8x8-v1', width: 512, height: 512, goal: [7, 7] },
    { id: 'CliffWalking-v0', width: 720, height: 240, goal: [3, 11] },
    { id: 'GridWorld-v0', width: 192, height: 128, goal: [1, 2] },
    { id: 'Maze2x3-v0', width: 192, height: 128, goal: [1, 2] },
  ];

  it("lists 'ansi', 'rgb_array' and 'svg' (Bandit: 'ansi') in metadata.renderModes", () => {
    for (const { id } of grids) {
      expect(make(id).metadata.renderModes).toEqual(['ansi', 'rgb_array', 'svg']);
      expect(make(id).metadata.renderFps).toBe(4);
      for (const mode of ['ansi', 'rgb_array', 'svg'])
        expect(make(id, { renderMode: mode }).renderMode).toBe(mode);
      expect(make(id).renderMode).toBeUndefined();
    }
    expect(new Bandit().metadata.renderModes).toEqual(['ansi']);
    expect(new Bandit({ renderMode: 'ansi' }).renderMode).toBe('ansi');
  });

  it('rejects render modes the env does not have, naming renderMode', () => {
    expect(() => new FrozenLake({ renderMode: 'human' as never })).toThrow(
      /FrozenLake: renderMode "human" \(string\) is not supported; metadata\.renderModes is \['ansi', 'rgb_array', 'svg'\]/,
    );
    expect(() => make('CliffWalking-v0', { renderMode: 1 })).toThrow(TypeError);
    expect(() => new GridWorld({ renderMode: 'rgb' as never })).toThrow(RangeError);
    expect(() => new Bandit({ renderMode: 'svg' as never })).toThrow(/Bandit: renderMode "svg"/);
  });

  it('render() without a render mode returns undefined and warns once per env, as Gymnasium', async () => {
    const ours = await renderWarnings(() => {
      for (const env of [make('FrozenLake-v1'), new CliffWalking(), new GridWorld(), new Bandit()]) {
        env.reset({ seed: 0 });
        expect(env.render()).toBeUndefined();
        expect(env.render()).toBeUndefined();
      }
    });
    expect(ours).toHaveLength(4);
    expect(ours[0]).toMatch(/FrozenLake-v1: render\(\) was called without a render mode/);
    expect(ours[0]).toContain("make('FrozenLake-v1', { renderMode: 'ansi' })");
    expect(ours[1]).toContain("new CliffWalking({ renderMode: 'ansi' })");
    expect(ours[3]).toContain("new Bandit({ renderMode: 'ansi' })");
  });

  it('render() before the first reset throws', () => {
    expect(() => make('FrozenLake-v1', { renderMode: 'ansi' }).render()).toThrow(ResetNeededError);
    expect(() => new CliffWalking({ renderMode: 'svg' }).render()).toThrow(
      /render\(\) called before reset\(\)/,
    );
    expect(() => new GridWorld({ renderMode: 'ansi' }).render()).toThrow(/GridWorld: render\(\) called/);
    expect(() => new Bandit({ renderMode: 'ansi' }).render()).toThrow(/Bandit: render\(\) called/);
  });

  it("draws the grid as SVG and as an RGBA frame in 'svg' / 'rgb_array' mode", () => {
    for (const { id, width, height, goal } of grids) {
      const svgEnv = make(id, { renderMode: 'svg' });
      svgEnv.reset({ seed: 0 });
      const svg = svgEnv.render() as string;
      checkRenderReturn('svg', svg, id);
      expect(svg).toContain(`width="${width}" height="${height}"`);
      const env = make(id, { renderMode: 'rgb_array' });
      env.reset({ seed: 0 });
      const frame = env.render() as RgbaFrame;
      checkRenderReturn('rgb_array', frame, id);
      expect([frame.width, frame.height]).toEqual([width, height]);
      const cell = width / (id === 'CliffWalking-v0' ? 12 : width === 192 ? 3 : height === 512 ? 8 : 4);
      const centre = (r: number, c: number) => framePixel(frame, (c + 0.5) * cell, (r + 0.5) * cell);
      expect(centre(goal[0], goal[1])).toEqual([245, 200, 50, 255]); // the goal's colour
      const start = id === 'CliffWalking-v0' ? [3, 0] : [0, 0];
      expect(centre(start[0], start[1])).toEqual([235, 110, 20, 255]); // the agent on the start cell
    }
  });

  it("renders the Bandit's arms as text", () => {
    const env = new Bandit({ means: [0, 1, 3], rewardStd: 0, renderMode: 'ansi' });
    env.reset({ seed: 0 });
    expect(env.render()).toBe(
      'Bandit: 3 arms\n  arm   0  mean   0.000\n  arm   1  mean   1.000\n  arm   2  mean   3.000  (best)\n',
    );
    env.step(1);
    const text = env.render() as string;
    checkRenderReturn('ansi', text, 'Bandit');
    expect(text).toBe(
      'Bandit: 3 arms, last pull arm 1, reward 1.000\n  arm   0  mean   0.000\n> arm   1  mean   1.000\n  arm   2  mean   3.000  (best)\n',
    );
  });
});

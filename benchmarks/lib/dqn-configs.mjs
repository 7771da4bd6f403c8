// DQN settings for the learning benchmark, in the shape of the CLI's TUNED_* tables
// ({ numEnvs, totalTimesteps, hyperparameters }). Until the CLI's registry has DQN, learning.mjs
// reads them from here.
// Source: RL Baselines3 Zoo, hyperparams/dqn.yml (CartPole-v1).

/** RL Zoo's tuned DQN hyperparameters, camelCase. */
export const TUNED_DQN = {
  'CartPole-v1': {
    numEnvs: 1,
    totalTimesteps: 50_000,
    hyperparameters: {
      learningRate: 2.3e-3,
      batchSize: 64,
      bufferSize: 100_000,
      learningStarts: 1000,
      gamma: 0.99,
      targetUpdateInterval: 10,
      trainFreq: 256,
      gradientSteps: 128,
      explorationFraction: 0.16,
      explorationFinalEps: 0.04,
      policyKwargs: { netArch: [256, 256] },
    },
  },
};

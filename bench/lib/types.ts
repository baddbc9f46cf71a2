// What a benchmark scenario is and what it reports.

export interface ScenarioOptions {
  /** A reduced run: fewer repetitions and shorter windows, for CI and smoke tests. */
  quick: boolean;
  /** A scratch directory of the scenario's own, removed afterwards. */
  workDir: string;
  /** One line of progress. */
  progress: (line: string) => void;
}

/** One measured figure, with its unit. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
}

/** The figure a scenario is judged by: a ratio against a baseline measured in the same run. */
export interface Ratio {
  name: string;
  value: number;
  /** e.g. "<= 1.25" or ">= 5" */
  target: string;
  met: boolean;
}

export interface ScenarioResult {
  id: string;
  title: string;
  figures: Figure[];
  ratios: Ratio[];
}

export interface Scenario {
  id: string;
  title: string;
  run(options: ScenarioOptions): Promise<ScenarioResult>;
}

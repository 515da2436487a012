import type { BenchContext } from "./context";
import type { Figure } from "./figures";

/** One benchmark module: measures against the running app and returns its figures. */
export interface Benchmark {
  name: string;
  run(context: BenchContext): Promise<Figure[]>;
}

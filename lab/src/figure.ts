// A suite's figures (timings, splits) written to stderr as they are measured. Not console.log:
// jest holds a suite's console output back and prints it as a block between the FAIL line and
// the failure itself, so a short excerpt of a CI log around FAIL showed the figures and cut off
// the reason. Written here, they come out as they happen, before the suite's result.
export function figure(line: string): void {
  process.stderr.write(`${line}\n`);
}

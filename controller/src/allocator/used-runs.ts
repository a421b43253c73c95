// The used indices of one pool family, kept as maximal runs [start, end] in an AVL tree keyed
// by start: add, remove and "first free index at or after n" cost O(log r) in the run count.
// Pools are never scanned or materialised, so a /8 or a /64 costs what a /24 does.

interface RunNode {
  start: bigint;
  end: bigint;
  left: RunNode | undefined;
  right: RunNode | undefined;
  height: number;
}

export interface Run {
  readonly start: bigint;
  readonly end: bigint;
}

export class UsedRuns {
  #root: RunNode | undefined;
  #count = 0n;
  #runs = 0;

  /** How many indices are in use. */
  get count(): bigint {
    return this.#count;
  }

  /** How many maximal runs the used indices form. */
  get runCount(): number {
    return this.#runs;
  }

  /** Height of the tree, to check that it stays balanced (AVL: < 1.45 log2(runs + 2)). */
  get depth(): number {
    return height(this.#root);
  }

  has(index: bigint): boolean {
    const run = this.#floor(index);
    return run !== undefined && index <= run.end;
  }

  /** The lowest index >= from that is not in use (may be past the pool end: the caller bounds it). */
  nextFree(from: bigint): bigint {
    const run = this.#floor(from);
    // Runs are merged when they touch, so the index after a run is always free.
    return run !== undefined && from <= run.end ? run.end + 1n : from;
  }

  /** Marks index used; false when it already was. */
  add(index: bigint): boolean {
    const before = this.#floor(index);
    if (before !== undefined && index <= before.end) return false;
    const after = this.#find(index + 1n);
    const joinsBefore = before !== undefined && before.end === index - 1n;
    if (joinsBefore && after !== undefined) {
      before.end = after.end;
      this.#root = remove(this.#root, after.start);
      this.#runs--;
    } else if (joinsBefore) {
      before.end = index;
    } else if (after !== undefined) {
      // No run holds index, so moving this run's start down to it keeps the key order.
      after.start = index;
    } else {
      this.#root = insert(this.#root, index, index);
      this.#runs++;
    }
    this.#count++;
    return true;
  }

  /** Marks index free; false when it was not in use. */
  remove(index: bigint): boolean {
    const run = this.#floor(index);
    if (run === undefined || index > run.end) return false;
    if (run.start === index && run.end === index) {
      this.#root = remove(this.#root, index);
      this.#runs--;
    } else if (run.start === index) {
      run.start = index + 1n;
    } else if (run.end === index) {
      run.end = index - 1n;
    } else {
      const end = run.end;
      run.end = index - 1n;
      this.#root = insert(this.#root, index + 1n, end);
      this.#runs++;
    }
    this.#count--;
    return true;
  }

  /** The runs in ascending order (for tests and diagnostics). */
  *runs(): Generator<Run> {
    const stack: RunNode[] = [];
    let node = this.#root;
    while (node !== undefined || stack.length > 0) {
      while (node !== undefined) {
        stack.push(node);
        node = node.left;
      }
      const top = stack.pop();
      if (top === undefined) return;
      yield { start: top.start, end: top.end };
      node = top.right;
    }
  }

  // The run with the greatest start <= index.
  #floor(index: bigint): RunNode | undefined {
    let best: RunNode | undefined;
    let node = this.#root;
    while (node !== undefined) {
      if (node.start <= index) {
        best = node;
        node = node.right;
      } else {
        node = node.left;
      }
    }
    return best;
  }

  #find(start: bigint): RunNode | undefined {
    let node = this.#root;
    while (node !== undefined && node.start !== start) node = start < node.start ? node.left : node.right;
    return node;
  }
}

function height(node: RunNode | undefined): number {
  return node === undefined ? 0 : node.height;
}

function update(node: RunNode): RunNode {
  node.height = Math.max(height(node.left), height(node.right)) + 1;
  return node;
}

function rotateRight(node: RunNode): RunNode {
  const pivot = node.left as RunNode;
  node.left = pivot.right;
  pivot.right = update(node);
  return update(pivot);
}

function rotateLeft(node: RunNode): RunNode {
  const pivot = node.right as RunNode;
  node.right = pivot.left;
  pivot.left = update(node);
  return update(pivot);
}

function balance(node: RunNode): RunNode {
  update(node);
  const skew = height(node.left) - height(node.right);
  if (skew > 1) {
    const left = node.left as RunNode;
    if (height(left.left) < height(left.right)) node.left = rotateLeft(left);
    return rotateRight(node);
  }
  if (skew < -1) {
    const right = node.right as RunNode;
    if (height(right.right) < height(right.left)) node.right = rotateRight(right);
    return rotateLeft(node);
  }
  return node;
}

function insert(node: RunNode | undefined, start: bigint, end: bigint): RunNode {
  if (node === undefined) return { start, end, left: undefined, right: undefined, height: 1 };
  if (start < node.start) node.left = insert(node.left, start, end);
  else node.right = insert(node.right, start, end);
  return balance(node);
}

function remove(node: RunNode | undefined, start: bigint): RunNode | undefined {
  if (node === undefined) return undefined;
  if (start < node.start) {
    node.left = remove(node.left, start);
  } else if (start > node.start) {
    node.right = remove(node.right, start);
  } else {
    if (node.left === undefined) return node.right;
    if (node.right === undefined) return node.left;
    // Replace with the smallest run of the right subtree.
    let successor = node.right;
    while (successor.left !== undefined) successor = successor.left;
    node.start = successor.start;
    node.end = successor.end;
    node.right = remove(node.right, successor.start);
  }
  return balance(node);
}

/**
 * Minimum-cost maximum flow on integer costs, by successive shortest paths with Johnson
 * potentials (Dijkstra on reduced costs). Each augmentation gives a minimum-cost flow of its
 * value, so the final flow is a maximum flow of least cost. The graph given must have no
 * negative cycle (ours is a DAG): the first potentials come from a Bellman-Ford pass.
 *
 * Deterministic: edges are visited in the order they were added and ties go to the lower node.
 */
export class MinCostFlow {
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  private to: Int32Array;
  private next: Int32Array;
  private cap: Int32Array;
  private cost: Float64Array;
  private edges = 0;

  constructor(
    readonly nodes: number,
    expectedEdges = 16,
  ) {
    this.head = new Int32Array(nodes).fill(-1);
    this.tail = new Int32Array(nodes).fill(-1);
    const n = expectedEdges * 2;
    this.to = new Int32Array(n);
    this.next = new Int32Array(n);
    this.cap = new Int32Array(n);
    this.cost = new Float64Array(n);
  }

  /** Adds an edge u → v; returns its index (its flow is `flow(index)`). */
  addEdge(u: number, v: number, capacity: number, cost: number): number {
    if (this.edges + 2 > this.to.length) this.grow();
    const e = this.edges;
    this.link(e, u, v, capacity, cost);
    this.link(e + 1, v, u, 0, -cost);
    this.edges += 2;
    return e;
  }

  /** Flow on an edge added by addEdge. */
  flow(edge: number): number {
    return this.cap[edge + 1];
  }

  /** Pushes as much flow as possible from s to t at least cost; returns [flow, cost]. */
  run(s: number, t: number): [number, number] {
    const n = this.nodes;
    const potential = this.bellmanFord(s);
    const dist = new Float64Array(n);
    const prevEdge = new Int32Array(n);
    const done = new Uint8Array(n);
    const heap = new BinaryHeap(n);
    let flow = 0;
    let cost = 0;
    for (;;) {
      dist.fill(Infinity);
      prevEdge.fill(-1);
      done.fill(0);
      dist[s] = 0;
      heap.push(s, 0);
      while (heap.size > 0) {
        const u = heap.pop();
        if (done[u]) continue;
        done[u] = 1;
        if (u === t) break; // the rest cannot shorten the path to t
        for (let e = this.head[u]; e !== -1; e = this.next[e]) {
          if (this.cap[e] === 0) continue;
          const v = this.to[e];
          if (done[v]) continue;
          const d = dist[u] + this.cost[e] + potential[u] - potential[v];
          if (d < dist[v]) {
            dist[v] = d;
            prevEdge[v] = e;
            heap.push(v, d);
          }
        }
      }
      heap.clear();
      if (dist[t] === Infinity) return [flow, cost];
      // Potentials move by the distance, capped at t's: reduced costs stay non-negative
      // for the nodes Dijkstra did not finish.
      const cap = dist[t];
      for (let v = 0; v < n; v++) if (dist[v] !== Infinity) potential[v] += Math.min(dist[v], cap);
      // The path Dijkstra found first (always progress), then every other shortest path, which
      // now runs on edges of reduced cost 0: as many as a depth-first search finds before the
      // next Dijkstra.
      let push = Infinity;
      for (let v = t; v !== s; v = this.to[prevEdge[v] ^ 1]) push = Math.min(push, this.cap[prevEdge[v]]);
      for (let v = t; v !== s; v = this.to[prevEdge[v] ^ 1]) {
        const e = prevEdge[v];
        this.cap[e] -= push;
        this.cap[e ^ 1] += push;
        cost += push * this.cost[e];
      }
      flow += push;
      const pushed = this.augmentAdmissible(s, t, potential);
      flow += pushed[0];
      cost += pushed[1];
    }
  }

  private augmentAdmissible(s: number, t: number, potential: Float64Array): [number, number] {
    const n = this.nodes;
    const current = Int32Array.from(this.head);
    const dead = new Uint8Array(n);
    const onPath = new Uint8Array(n);
    const pathEdges: number[] = [];
    let flow = 0;
    let cost = 0;
    const dfs = (u: number): boolean => {
      if (u === t) return true;
      onPath[u] = 1;
      for (; current[u] !== -1; current[u] = this.next[current[u]]) {
        const e = current[u];
        const v = this.to[e];
        if (this.cap[e] === 0 || dead[v] || onPath[v]) continue;
        if (this.cost[e] + potential[u] - potential[v] !== 0) continue;
        pathEdges.push(e);
        if (dfs(v)) {
          onPath[u] = 0;
          return true;
        }
        pathEdges.pop();
      }
      onPath[u] = 0;
      dead[u] = 1;
      return false;
    };
    for (;;) {
      pathEdges.length = 0;
      if (!dfs(s)) return [flow, cost];
      let push = Infinity;
      for (const e of pathEdges) push = Math.min(push, this.cap[e]);
      for (const e of pathEdges) {
        this.cap[e] -= push;
        this.cap[e ^ 1] += push;
        cost += push * this.cost[e];
      }
      flow += push;
    }
  }

  private bellmanFord(s: number): Float64Array {
    const dist = new Float64Array(this.nodes).fill(Infinity);
    dist[s] = 0;
    for (let round = 0; round < this.nodes; round++) {
      let changed = false;
      for (let u = 0; u < this.nodes; u++) {
        if (dist[u] === Infinity) continue;
        for (let e = this.head[u]; e !== -1; e = this.next[e]) {
          if (this.cap[e] > 0 && dist[u] + this.cost[e] < dist[this.to[e]]) {
            dist[this.to[e]] = dist[u] + this.cost[e];
            changed = true;
          }
        }
      }
      if (!changed) break;
    }
    for (let v = 0; v < this.nodes; v++) if (dist[v] === Infinity) dist[v] = 0;
    return dist;
  }

  private link(e: number, u: number, v: number, capacity: number, cost: number): void {
    this.to[e] = v;
    this.cap[e] = capacity;
    this.cost[e] = cost;
    // Appended at the end of u's list, so edges are visited in insertion order.
    this.next[e] = -1;
    if (this.head[u] === -1) this.head[u] = e;
    else this.next[this.tail[u]] = e;
    this.tail[u] = e;
  }

  private grow(): void {
    const size = this.to.length * 2;
    const copy = <T extends Int32Array | Float64Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    this.to = copy(this.to, new Int32Array(size));
    this.next = copy(this.next, new Int32Array(size));
    this.cap = copy(this.cap, new Int32Array(size));
    this.cost = copy(this.cost, new Float64Array(size));
  }
}

/** A binary min-heap of (key, node), ties broken by the lower node: deterministic order. */
class BinaryHeap {
  private readonly nodes: Int32Array;
  private readonly keys: Float64Array;
  size = 0;

  constructor(capacity: number) {
    // Lazy deletion pushes a node more than once: room for every relaxation.
    this.nodes = new Int32Array(capacity * 4 + 16);
    this.keys = new Float64Array(capacity * 4 + 16);
  }

  clear(): void {
    this.size = 0;
  }

  push(node: number, key: number): void {
    if (this.size === this.nodes.length) this.compact();
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(key, node, this.keys[parent], this.nodes[parent])) break;
      this.nodes[i] = this.nodes[parent];
      this.keys[i] = this.keys[parent];
      i = parent;
    }
    this.nodes[i] = node;
    this.keys[i] = key;
  }

  pop(): number {
    const top = this.nodes[0];
    const node = this.nodes[--this.size];
    const key = this.keys[this.size];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (
        child + 1 < this.size &&
        this.less(this.keys[child + 1], this.nodes[child + 1], this.keys[child], this.nodes[child])
      )
        child++;
      if (!this.less(this.keys[child], this.nodes[child], key, node)) break;
      this.nodes[i] = this.nodes[child];
      this.keys[i] = this.keys[child];
      i = child;
    }
    this.nodes[i] = node;
    this.keys[i] = key;
    return top;
  }

  private less(k1: number, n1: number, k2: number, n2: number): boolean {
    return k1 < k2 || (k1 === k2 && n1 < n2);
  }

  /** Too many stale entries: keep the best key per node. */
  private compact(): void {
    const best = new Map<number, number>();
    for (let i = 0; i < this.size; i++) {
      const n = this.nodes[i];
      const k = this.keys[i];
      const seen = best.get(n);
      if (seen === undefined || k < seen) best.set(n, k);
    }
    this.size = 0;
    for (const [n, k] of [...best].sort((a, b) => a[1] - b[1] || a[0] - b[0])) {
      this.nodes[this.size] = n;
      this.keys[this.size] = k;
      this.size++;
    }
  }
}

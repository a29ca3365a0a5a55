#!/usr/bin/env python3
"""Scale-out simulation for docs/scale-out.md ("Beyond one database"): 1,000,000 documents, 100 server nodes,
PostgreSQL instances holding 4,096 virtual partitions. Deterministic (seeded); runs in a few seconds:

    python3 eng/scale-out-simulation.py

Model: partition = hash(name) mod 4096; partitions are assigned to instances in contiguous blocks; a document is served
by the node that wins rendezvous hashing over the live nodes (the load balancer's choice). 2% of documents are open at
peak, each with a commit rate drawn from a heavy-tailed distribution (lognormal, mean 4 commits/s, a few very hot
documents), capped at 20 commits/s by the node's 50 ms group commit.
"""
import hashlib
import math
import random
import statistics

DOCUMENTS = 1_000_000
NODES = 100
PARTITIONS = 4096
INSTANCES = 8
OPEN_FRACTION = 0.02
MEAN_COMMITS = 4.0
CAP = 20.0
random.seed(13)


def h64(text):
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


def owner(doc, nodes):
    return max(nodes, key=lambda n: h64(f"{n}/{doc}"))


def instance_of(partition, instances, partitions=PARTITIONS):
    return partition * instances // partitions


def summary(values):
    return f"mean {statistics.mean(values):,.1f}, max {max(values):,.1f} ({max(values) / statistics.mean(values):.2f}x mean), min {min(values):,.1f}"


partition = [h64(f"doc-{i}") % PARTITIONS for i in range(DOCUMENTS)]
docs_per_partition = [0] * PARTITIONS
for p in partition:
    docs_per_partition[p] += 1
print(f"documents per partition: {summary(docs_per_partition)}")

open_docs = random.sample(range(DOCUMENTS), int(DOCUMENTS * OPEN_FRACTION))
sigma = 1.0
mu = math.log(MEAN_COMMITS) - sigma * sigma / 2
rate = {d: min(CAP, random.lognormvariate(mu, sigma)) for d in open_docs}
total = sum(rate.values())
print(f"open documents: {len(open_docs):,}; commits/s in total: {total:,.0f} (the {CAP:.0f}/s cap hits {sum(1 for r in rate.values() if r >= CAP)} documents)")

per_instance = [0.0] * INSTANCES
for d in open_docs:
    per_instance[instance_of(partition[d], INSTANCES)] += rate[d]
print(f"commits/s per PostgreSQL instance ({INSTANCES}): {summary(per_instance)}")

nodes = list(range(NODES))
assignment = {d: owner(d, nodes) for d in open_docs}
per_node_docs = [0] * NODES
per_node_rate = [0.0] * NODES
for d, n in assignment.items():
    per_node_docs[n] += 1
    per_node_rate[n] += rate[d]
print(f"open documents per node ({NODES}): {summary(per_node_docs)}")
print(f"commits/s per node: {summary(per_node_rate)}")
listeners = [len({n for d, n in assignment.items() if instance_of(partition[d], INSTANCES) == i}) for i in range(INSTANCES)]
print(f"nodes with a listener on each instance (hosting one of its open documents): {summary(listeners)}")
hosts = {}
for d, n in assignment.items():
    hosts.setdefault(partition[d], set()).add(n)
weighted = sum(rate[d] * len(hosts[partition[d]]) for d in open_docs) / total
print(f"per-partition channels, documents routed one by one: a doorbell reaches {weighted:.2f} nodes on average (commit-weighted)")
print("per-partition channels, partitions routed whole (rendezvous on the partition id): a doorbell reaches 1 node, "
      "the owner, plus any node still serving the document during a failover")

# A node fails: only its documents move, spread over the survivors.
dead = 0
survivors = [n for n in nodes if n != dead]
moved = [d for d, n in assignment.items() if n == dead]
after = {d: (owner(d, survivors) if n == dead else n) for d, n in assignment.items()}
gain = [0] * NODES
for d in moved:
    gain[after[d]] += 1
print(f"node {dead} fails: {len(moved)} documents ({len(moved) / len(open_docs):.2%}) reopen elsewhere, on {sum(1 for g in gain if g)} nodes, at most {max(gain)} on one node")

# A node is added: it takes ~1/(n+1) of the open documents, from every node a little.
grown = nodes + [NODES]
taken = sum(1 for d in open_docs if owner(d, grown) == NODES)
print(f"node {NODES} joins: it takes {taken} documents ({taken / len(open_docs):.2%}); no other document moves")

# An instance is added: whole partitions move, contiguous blocks re-split over 9 instances.
moved_partitions = sum(1 for p in range(PARTITIONS) if instance_of(p, INSTANCES) != instance_of(p, INSTANCES + 1))
moved_docs = sum(docs_per_partition[p] for p in range(PARTITIONS) if instance_of(p, INSTANCES) != instance_of(p, INSTANCES + 1))
print(f"instance {INSTANCES + 1} added by re-splitting blocks: {moved_partitions} partitions, {moved_docs:,} documents ({moved_docs / DOCUMENTS:.1%}) move")
greedy = PARTITIONS // (INSTANCES + 1)
print(f"instance {INSTANCES + 1} added by taking {greedy} partitions, {greedy // INSTANCES} from each old instance: {greedy * DOCUMENTS / PARTITIONS:,.0f} documents ({greedy / PARTITIONS:.1%}) move")

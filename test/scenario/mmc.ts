// The M/M/c scenario of the brief: eight workers at 90% load; loads with no problems.
export const mmc = `name: mmc
title: Eight workers at 90% load
seed: 1
duration: 600s
warmup: 30s
replications: 5
services:
  client:
    calls:
      - to: server
        method: demo.Server/Work
        rate: 7200/s
  server:
    replicas: 1
    pod:
      workers: 8
      queue: 100000
      serviceTime: { distribution: exponential, mean: 1ms }
`;

/*
 * The exit codes, pgrep's scheme. Docker, ECS and Kubernetes count any
 * non-zero as a failed probe; only 1 says the service itself is down.
 */
#ifndef HEALTHY_EXITCODE_H
#define HEALTHY_EXITCODE_H

#define EXIT_HEALTHY 0
#define EXIT_UNHEALTHY 1
#define EXIT_USAGE 2
#define EXIT_CANNOT_CHECK 3

#endif

// glibc's allocator statistics for `view-memory` (Benchmarks/ViewMemory): <malloc.h> is not part of
// Swift's Glibc module.
#pragma once
#include <stddef.h>

/// Bytes the allocator has handed out and not taken back (small chunks and mmapped ones), after
/// returning free memory to the system.
size_t heap_stats_in_use(void);
/// The process's peak resident memory in bytes (getrusage's ru_maxrss).
size_t heap_stats_peak_resident(void);

#include "heap_stats.h"
#include <malloc.h>
#include <sys/resource.h>

size_t heap_stats_in_use(void) {
    malloc_trim(0);
    struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
}

size_t heap_stats_peak_resident(void) {
    struct rusage usage;
    if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
    return (size_t)usage.ru_maxrss * 1024;
}

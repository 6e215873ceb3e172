// CRC-32C with a hardware path (SSE4.2 crc32 instruction) and a portable slicing-by-8 fallback.
// The hardware function is compiled with a target attribute so the package needs no global flags,
// and it is selected at run time, so the binary still runs on CPUs without SSE4.2.
#include "crc32c.h"

#include <string.h>

#define POLY 0x82F63B78u

static uint32_t table[8][256];
static int use_hardware = -1;  // decided at first use; the decision is idempotent
static int forced_portable = 0;

// Built once before main() runs, so concurrent first calls never race on the table.
__attribute__((constructor))
static void build_table(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t crc = n;
        for (int k = 0; k < 8; k++) crc = (crc & 1) ? (crc >> 1) ^ POLY : crc >> 1;
        table[0][n] = crc;
    }
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t crc = table[0][n];
        for (int k = 1; k < 8; k++) {
            crc = table[0][crc & 0xff] ^ (crc >> 8);
            table[k][n] = crc;
        }
    }
}

static uint32_t crc32c_portable(uint32_t crc, const unsigned char *p, size_t n) {
    crc = ~crc;
    while (n && ((uintptr_t)p & 7)) { crc = table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8); n--; }
    while (n >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        word ^= crc;
        crc = table[7][word & 0xff] ^ table[6][(word >> 8) & 0xff] ^ table[5][(word >> 16) & 0xff] ^
              table[4][(word >> 24) & 0xff] ^ table[3][(word >> 32) & 0xff] ^ table[2][(word >> 40) & 0xff] ^
              table[1][(word >> 48) & 0xff] ^ table[0][word >> 56];
        p += 8; n -= 8;
    }
    while (n--) crc = table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

#if defined(__x86_64__)
#include <nmmintrin.h>

__attribute__((target("sse4.2")))
static uint32_t crc32c_sse42(uint32_t crc, const unsigned char *p, size_t n) {
    uint64_t c = ~crc;
    while (n && ((uintptr_t)p & 7)) { c = _mm_crc32_u8((uint32_t)c, *p++); n--; }
    while (n >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        c = _mm_crc32_u64(c, word);
        p += 8; n -= 8;
    }
    while (n--) c = _mm_crc32_u8((uint32_t)c, *p++);
    return ~(uint32_t)c;
}

static int cpu_has_sse42(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2");
}
#endif

uint32_t ccrc32c_extend(uint32_t crc, const void *data, size_t length) {
#if defined(__x86_64__)
    if (use_hardware < 0) use_hardware = cpu_has_sse42();
    if (use_hardware && !forced_portable) return crc32c_sse42(crc, (const unsigned char *)data, length);
#endif
    return crc32c_portable(crc, (const unsigned char *)data, length);
}

int ccrc32c_is_hardware_accelerated(void) {
#if defined(__x86_64__)
    if (use_hardware < 0) use_hardware = cpu_has_sse42();
    return use_hardware && !forced_portable;
#else
    return 0;
#endif
}

void ccrc32c_force_portable(int portable) {
    forced_portable = portable;
}

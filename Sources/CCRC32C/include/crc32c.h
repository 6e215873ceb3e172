#ifndef CCRC32C_H
#define CCRC32C_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Extends a CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) over `length` bytes.
/// Start with `crc = 0`; feed the result back in to checksum data in pieces.
/// Uses the SSE4.2 `crc32` instruction when the CPU has it (chosen once, at first call),
/// otherwise a portable slicing-by-8 table. crc32c("123456789") == 0xE3069283.
uint32_t ccrc32c_extend(uint32_t crc, const void *data, size_t length);

/// 1 when the hardware path is in use, 0 for the portable fallback.
int ccrc32c_is_hardware_accelerated(void);

/// Forces the portable path (for tests that compare both paths). Not thread-safe; call before use.
void ccrc32c_force_portable(int portable);

#ifdef __cplusplus
}
#endif

#endif

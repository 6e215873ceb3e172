// libFuzzer's driver, linked by `-sanitize=fuzzer` (clang's libclang_rt.fuzzer). Declared here so that
// Swift calls it with the C calling convention; the executable's own `main` hands it the arguments.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

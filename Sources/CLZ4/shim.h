// Exposes liblz4's block API (and the high-compression variant) to Swift. Nothing else lives here.
#include <lz4.h>
#include <lz4hc.h>

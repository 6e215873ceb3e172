// Exposes OpenSSL's libcrypto (EVP digests and signatures, PEM key files) to Swift, for the
// national algorithms SM3 (GB/T 32905) and SM2 (GB/T 32918) that swift-crypto does not offer.
// Nothing else lives here, but for SHA-256's low-level functions (below).
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/x509.h>

// SHA-256 through the low-level functions, for the Merkle tree's many small messages (a leaf,
// a 65-byte node): a SHA256_CTX is a plain struct the caller keeps, so hashing allocates
// nothing, whereas OpenSSL 3.0 frees and allocates an EVP context's provider state on every
// EVP_DigestInit_ex2. The same SHA-NI code runs underneath. OpenSSL 3 marks these functions
// deprecated; these wrappers keep that note inside this shim.
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdeprecated-declarations"
static inline int clm_sha256_init(SHA256_CTX *context) { return SHA256_Init(context); }
static inline int clm_sha256_update(SHA256_CTX *context, const void *bytes, size_t count) {
    return SHA256_Update(context, bytes, count);
}
static inline int clm_sha256_final(unsigned char *digest, SHA256_CTX *context) { return SHA256_Final(digest, context); }
#pragma clang diagnostic pop

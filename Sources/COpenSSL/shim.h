// Exposes OpenSSL's libcrypto (EVP digests and signatures, PEM key files) to Swift, for the
// national algorithms SM3 (GB/T 32905) and SM2 (GB/T 32918) that swift-crypto does not offer.
// Nothing else lives here.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/x509.h>

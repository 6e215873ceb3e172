// The ceiling OpenSSL's SM3 puts on `verify` of an SM3 ledger (docs/proofs.md, "Verify with
// SHA-256 and with SM3"): the CPU time of one EVP SM3 digest of each message verify hashes per
// record — the chain H(previous ‖ frame), the leaf H(0x00 ‖ frame), and about one interior node
// H(0x01 ‖ left ‖ right) — through the same EVP calls the ledger makes (one context reused:
// EVP_DigestInit_ex2, EVP_DigestUpdate, EVP_DigestFinal_ex), and the records per second of CPU
// that leaves. Times are CPU time (CLOCK_PROCESS_CPUTIME_ID), so a loaded machine inflates them
// less than wall time.
//
//   cc -O2 -o sm3-ceiling sm3-ceiling.c -lcrypto && ./sm3-ceiling [FRAME_BYTES] [CORES]
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

// Nanoseconds of CPU per digest of a `size`-byte message, over about 64 MiB of messages.
static double ns_per_digest(EVP_MD_CTX *ctx, const EVP_MD *md, const unsigned char *buffer, size_t size) {
    long count = (64L << 20) / (long)size + 1000;
    unsigned char out[32];
    unsigned int length;
    double start = cpu_seconds();
    for (long i = 0; i < count; i++) {
        if (EVP_DigestInit_ex2(ctx, md, NULL) != 1 || EVP_DigestUpdate(ctx, buffer + (i & 1023), size) != 1
            || EVP_DigestFinal_ex(ctx, out, &length) != 1) {
            fprintf(stderr, "SM3 failed\n");
            exit(1);
        }
    }
    return (cpu_seconds() - start) / count * 1e9;
}

int main(int argc, char **argv) {
    size_t frame = argc > 1 ? (size_t)atol(argv[1]) : 175;
    int cores = argc > 2 ? atoi(argv[2]) : 2;
    EVP_MD *md = EVP_MD_fetch(NULL, "SM3", NULL);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char *buffer = malloc((1 << 20) + 1024);
    if (!md || !ctx || !buffer) { fprintf(stderr, "no SM3 in this libcrypto\n"); return 1; }
    for (int i = 0; i < (1 << 20) + 1024; i++) buffer[i] = (unsigned char)(i * 2654435761u >> 24);
    printf("%s, frame %zu bytes, %d cores\n", OpenSSL_version(OPENSSL_VERSION), frame, cores);

    double bulk = ns_per_digest(ctx, md, buffer, 1 << 20);
    printf("bulk (1 MiB messages): %.0f MB per CPU-second\n", (1 << 20) / bulk * 1e3);
    double chain = ns_per_digest(ctx, md, buffer, 32 + frame);
    double leaf = ns_per_digest(ctx, md, buffer, 1 + frame);
    double node = ns_per_digest(ctx, md, buffer, 65);
    double record = chain + leaf + node * 63.0 / 64.0;
    printf("per record: chain %.0f ns (%zu B), leaf %.0f ns (%zu B), node %.0f ns (65 B): %.0f ns of CPU\n",
           chain, 32 + frame, leaf, 1 + frame, node, record);
    // The same compression blocks at the bulk rate: what an SM3 without per-message overhead would take.
    size_t blocks = (32 + frame + 9 + 63) / 64 + (1 + frame + 9 + 63) / 64 + 2;
    printf("compression blocks per record: %zu (%zu bytes), at the bulk rate %.0f ns\n", blocks, blocks * 64, blocks * 64 / ((1 << 20) / bulk));
    printf("ceiling of verify (chain + tree), SM3 hashing alone: %.0f MB of records per CPU-second, %.2f GB/s on %d idle cores\n",
           frame / record * 1e3, frame / record * cores, cores);
    printf("ceiling of the chain alone: %.2f GB/s on %d idle cores\n", frame / chain * cores, cores);
    EVP_MD_CTX_free(ctx);
    EVP_MD_free(md);
    free(buffer);
    return 0;
}

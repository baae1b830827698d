/* cpu_feature.h - whether this CPU (and the kernel) offers an instruction
 * set extension.  glibc's <sys/platform/x86.h> answers from what the
 * dynamic loader already read at exec.  GCC's __builtin_cpu_supports would
 * instead link libgcc's constructor, which runs a dozen cpuid instructions
 * in every process whether or not a SIMD path is ever taken; in a VM each
 * cpuid is an exit to the hypervisor (about 7 µs on the 2026-12 VM of
 * docs/performance.md), so that constructor alone cost start-up ~0.1 ms. */
#ifndef NB_CPU_FEATURE_H
#define NB_CPU_FEATURE_H

#if defined(__has_include)
#if __has_include(<sys/platform/x86.h>)
#include <sys/platform/x86.h>
#define NB_CPU_HAS(glibc_name, gcc_name) CPU_FEATURE_ACTIVE(glibc_name)
#endif
#endif
#ifndef NB_CPU_HAS
#define NB_CPU_HAS(glibc_name, gcc_name) __builtin_cpu_supports(gcc_name)
#endif

#endif

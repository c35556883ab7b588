/*
 * compiler.h - portable attribute macros used across Vigil.
 *
 * Kept tiny and dependency-free so that every module, including the ones
 * built for the fuzzers, can include it first.
 */
#ifndef VG_CORE_COMPILER_H
#define VG_CORE_COMPILER_H

#if defined(__GNUC__) || defined(__clang__)
#define VG_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define VG_MUST_CHECK        __attribute__((warn_unused_result))
#define VG_NORETURN          __attribute__((noreturn))
#define VG_UNUSED            __attribute__((unused))
#else
#define VG_PRINTF(fmt, args)
#define VG_MUST_CHECK
#define VG_NORETURN
#define VG_UNUSED
#endif

/* Number of elements of a true array (not a pointer). */
#define VG_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif /* VG_CORE_COMPILER_H */

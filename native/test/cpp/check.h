// Minimal assertion helpers shared by the C++ kernel tests (no test framework needed).
#pragma once

#include <cmath>
#include <cstdio>

inline int g_checks = 0;
inline int g_failures = 0;

#define CHECK(cond)                                                                  \
  do {                                                                               \
    ++g_checks;                                                                      \
    if (!(cond)) {                                                                   \
      ++g_failures;                                                                  \
      std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                                \
  } while (0)

#define CHECK_NEAR(a, b, tol)                                                                          \
  do {                                                                                                 \
    ++g_checks;                                                                                        \
    const double a_ = (a), b_ = (b);                                                                   \
    if (!(std::fabs(a_ - b_) <= (tol))) {                                                              \
      ++g_failures;                                                                                    \
      std::fprintf(stderr, "%s:%d: CHECK_NEAR failed: %s = %.12g, %s = %.12g\n", __FILE__, __LINE__, #a, \
                   a_, #b, b_);                                                                        \
    }                                                                                                  \
  } while (0)

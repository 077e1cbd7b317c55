// Allocating bits to a byte budget: every tensor picks one of its candidate formats, each with its bytes and a cost
// (a measured damage such as the mean KL-divergence when only that tensor is quantized, which adds up well across
// tensors at these sizes), so that the total cost is least while the bytes stay within the budget.
//
// Lagrangian relaxation on each item's lower convex hull: for a price lambda per byte every item takes the hull point
// of least cost + lambda * bytes, a bisection on lambda finds the cheapest price whose choice fits, and the budget
// left over is then spent greedily on the hull steps with the best cost saved per byte. A knapsack over every option
// (bytes rounded up to 1/8192 of the budget, so what it finds fits) runs too, and the better answer is kept: on few or
// coarse items the relaxation can leave a large step unused; then pairs of moves on the exact bytes use what the
// rounding left. Tensors that must share one format form a group, solved as one item over the formats all of them can
// take; tensors that must only agree on a kind of format (vLLM fuses q/k/v into one matrix whose shards may differ in
// GGUF type but must all be quantized or all not) form a kind group, one item over the non-dominated combinations of
// their own choices within each kind. A pinned tensor keeps the one format it was given. Plain data in, plain data
// out: the caller measures and sizes.
#pragma once

#include "common/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace qs {

struct AllocationCandidate {
    std::string format; // an id the caller understands ("Q4_K"); equal ids within a group mean the same format
    uint64_t bytes = 0;
    double cost = 0;
    std::string kind = {}; // what a kind group must agree on ("quantized", "unquantized"); empty: no kind
};

struct AllocationTensor {
    std::string name;
    std::vector<AllocationCandidate> candidates;
    int group = -1;                // tensors with the same group >= 0 take the same format
    std::string pinned;            // non-empty: this format only
    int kindGroup = -1;            // tensors with the same kindGroup >= 0 take formats of the same kind (not with group)
};

struct AllocationProblem {
    std::vector<AllocationTensor> tensors;
    uint64_t budget = 0;           // bytes for these tensors together
};

struct Allocation {
    std::vector<int> choice;       // per tensor: the index into its candidates
    uint64_t bytes = 0;
    double cost = 0;
    double lambda = 0;             // the price per byte the relaxation settled on
    uint64_t minimumBytes = 0, maximumBytes = 0; // what the smallest and the largest choices would take
};

// An error when even the smallest formats exceed the budget (it says how many bytes they need), when a tensor has no
// candidate, or when a group or pin leaves a tensor none.
Result<Allocation> allocate(const AllocationProblem &problem);

} // namespace qs

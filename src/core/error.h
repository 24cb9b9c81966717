#pragma once
// One error type for everything a user can get wrong: bad config, bad files, bad stores.
// The message names the problem (file, key, value, allowed range) and is shown as is.
#include <stdexcept>
#include <string>

namespace geneft {

struct UserError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The store could not be read or written for a reason outside the input: the disk is full,
// another process holds a lock too long, an I/O error, no permission. Exit status 4.
struct StoreError : UserError {
  using UserError::UserError;
};

// A failure already reported (by this or another MPI rank): exit status 2, no further message.
struct ErrorReportedElsewhere {};

}  // namespace geneft

#include "cli/views.h"

namespace ecomon::cli {

Status& last_view_error() {
  thread_local Status s;
  return s;
}

}  // namespace ecomon::cli

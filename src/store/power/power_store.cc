#include "store/power/power_store.h"

#include "store/power/power_store_impl.h"

namespace ecomon {

template class SqlPowerStore<SqliteSql>;

}  // namespace ecomon

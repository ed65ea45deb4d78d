#include "store/sources/pending_device_store.h"

#include "store/sources/pending_device_store_impl.h"

namespace ecomon {

template class SqlPendingDeviceStore<SqliteSql>;

}  // namespace ecomon

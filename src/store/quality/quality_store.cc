#include "store/quality/quality_store.h"

#include "store/quality/quality_store_impl.h"

namespace ecomon {

template class SqlQualityStore<SqliteSql>;

}  // namespace ecomon

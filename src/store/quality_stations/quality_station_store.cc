#include "store/quality_stations/quality_station_store.h"

#include "store/quality_stations/quality_station_store_impl.h"

namespace ecomon {

template class SqlQualityStationStore<SqliteSql>;

}  // namespace ecomon

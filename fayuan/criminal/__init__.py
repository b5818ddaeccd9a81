"""Criminal legal aid notices from police, procuratorates and courts (通知辩护/通知代理): issue 11."""

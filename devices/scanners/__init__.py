"""QR and barcode scanners: the interface the core sees, and the serial (or USB-serial) driver."""

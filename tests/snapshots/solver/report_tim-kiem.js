window.TTHC_INDEX=[["1.000001","Thủ tục thử","Bộ A"]];

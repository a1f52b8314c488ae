// GB/T 2260 province codes (DOMAIN.md) with their names and the abbreviation a registration number starts
// with: [code, 中文, English, 简称]. Used by the public lookup's filters and the authority console.

export const PROVINCES = [
  ['11', '北京', 'Beijing', '京'], ['12', '天津', 'Tianjin', '津'], ['13', '河北', 'Hebei', '冀'],
  ['14', '山西', 'Shanxi', '晋'], ['15', '内蒙古', 'Inner Mongolia', '蒙'], ['21', '辽宁', 'Liaoning', '辽'],
  ['22', '吉林', 'Jilin', '吉'], ['23', '黑龙江', 'Heilongjiang', '黑'], ['31', '上海', 'Shanghai', '沪'],
  ['32', '江苏', 'Jiangsu', '苏'], ['33', '浙江', 'Zhejiang', '浙'], ['34', '安徽', 'Anhui', '皖'],
  ['35', '福建', 'Fujian', '闽'], ['36', '江西', 'Jiangxi', '赣'], ['37', '山东', 'Shandong', '鲁'],
  ['41', '河南', 'Henan', '豫'], ['42', '湖北', 'Hubei', '鄂'], ['43', '湖南', 'Hunan', '湘'],
  ['44', '广东', 'Guangdong', '粤'], ['45', '广西', 'Guangxi', '桂'], ['46', '海南', 'Hainan', '琼'],
  ['50', '重庆', 'Chongqing', '渝'], ['51', '四川', 'Sichuan', '川'], ['52', '贵州', 'Guizhou', '黔'],
  ['53', '云南', 'Yunnan', '云'], ['54', '西藏', 'Tibet', '藏'], ['61', '陕西', 'Shaanxi', '陕'],
  ['62', '甘肃', 'Gansu', '甘'], ['63', '青海', 'Qinghai', '青'], ['64', '宁夏', 'Ningxia', '宁'],
  ['65', '新疆', 'Xinjiang', '新'],
];

/**
 * SIMULATED citizen identities for the local OpenID provider that stands in for VNeID in
 * development, demo mode and tests. None of these people exist: names, CCCD numbers, phones,
 * e-mails and addresses are made up (e-mails use the reserved-style domain example.vn, phones the
 * 0900 000 xxx range). The provider's login page says so too.
 *
 * CCCD numbers follow the public 12-digit layout so that validation code sees realistic values:
 * 3 digits province of registration (066 = Đắk Lắk), 1 digit gender and century
 * (0/1 = male/female born 1900–1999, 2/3 = male/female born 2000–2099), 2 digits year of birth,
 * 6 digits serial. Addresses use Đắk Lắk's commune-level units after the 2025 reorganisation.
 */

export interface SimulatedCitizen {
  /** Stable subject identifier at the (simulated) identity provider. */
  sub: string;
  fullName: string;
  /** CCCD (căn cước công dân) number, 12 digits. */
  idNumber: string;
  /** YYYY-MM-DD. */
  birthdate: string;
  gender: 'male' | 'female';
  phone: string;
  email: string;
  address: string;
}

/** The password every simulated identity accepts on the local provider's login page. */
export const DEMO_CITIZEN_PASSWORD = 'demo';

export const DEMO_CITIZENS: readonly SimulatedCitizen[] = Object.freeze([
  {
    sub: 'vneid-demo-0001',
    fullName: 'Nguyễn Văn An',
    idNumber: '066085001201',
    birthdate: '1985-04-12',
    gender: 'male',
    phone: '0900000101',
    email: 'nguyen.van.an@example.vn',
    address: 'Số 12 Lê Duẩn, Phường Buôn Ma Thuột, tỉnh Đắk Lắk',
  },
  {
    sub: 'vneid-demo-0002',
    fullName: 'Trần Thị Bình',
    idNumber: '066190004512',
    birthdate: '1990-09-23',
    gender: 'female',
    phone: '0900000102',
    email: 'tran.thi.binh@example.vn',
    address: 'Số 45 Nguyễn Tất Thành, Phường Tân An, tỉnh Đắk Lắk',
  },
  {
    sub: 'vneid-demo-0003',
    fullName: "H'Hen Niê",
    idNumber: '066198007733',
    birthdate: '1998-02-07',
    gender: 'female',
    phone: '0900000103',
    email: 'hhen.nie@example.vn',
    address: "Buôn Kmrơng Prông, Xã Cư M'gar, tỉnh Đắk Lắk",
  },
  {
    sub: 'vneid-demo-0004',
    fullName: 'Y Thuận Mlô',
    idNumber: '066079002468',
    birthdate: '1979-11-30',
    gender: 'male',
    phone: '0900000104',
    email: 'y.thuan.mlo@example.vn',
    address: 'Buôn Dhăm, Xã Krông Pắc, tỉnh Đắk Lắk',
  },
  {
    sub: 'vneid-demo-0005',
    fullName: 'Lê Minh Châu',
    idNumber: '066301000915',
    birthdate: '2001-06-15',
    gender: 'female',
    phone: '0900000105',
    email: 'le.minh.chau@example.vn',
    address: 'Tổ dân phố 4, Phường Buôn Hồ, tỉnh Đắk Lắk',
  },
  {
    sub: 'vneid-demo-0006',
    fullName: 'Phạm Quốc Dũng',
    idNumber: '066068003344',
    birthdate: '1968-01-20',
    gender: 'male',
    phone: '0900000106',
    email: 'pham.quoc.dung@example.vn',
    address: 'Thôn 2, Xã Ea Kar, tỉnh Đắk Lắk',
  },
  {
    sub: 'vneid-demo-0007',
    fullName: 'Võ Thị Hoa',
    idNumber: '066175006021',
    birthdate: '1975-08-05',
    gender: 'female',
    phone: '0900000107',
    email: 'vo.thi.hoa@example.vn',
    address: 'Số 8 Trần Hưng Đạo, Phường Tuy Hòa, tỉnh Đắk Lắk',
  },
  {
    sub: 'vneid-demo-0008',
    fullName: 'Đặng Gia Huy',
    idNumber: '066204001188',
    birthdate: '2004-12-01',
    gender: 'male',
    phone: '0900000108',
    email: 'dang.gia.huy@example.vn',
    address: 'Thôn Phú Lương, Xã Hòa Xuân, tỉnh Đắk Lắk',
  },
]);

export function findDemoCitizenBySub(sub: string): SimulatedCitizen | undefined {
  return DEMO_CITIZENS.find((c) => c.sub === sub);
}

export function findDemoCitizenByIdNumber(idNumber: string): SimulatedCitizen | undefined {
  return DEMO_CITIZENS.find((c) => c.idNumber === idNumber);
}
